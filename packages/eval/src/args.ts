import { fileURLToPath } from 'node:url';

/** The repository root and `../shared` beside it, from this file's place (src/ or dist/). */
export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));
export const SHARED_DIR = fileURLToPath(new URL('../../../../shared/', import.meta.url));

export interface EvalArgs {
  /** `dev` = the 2,207 images of dev.txt; `all` = every annotated image (2,777). */
  list: 'dev' | 'all';
  /** Score only the first N images of the list (quick looks, tests). */
  limit?: number;
  /** Label of the run: its rows in docs/accuracy.md and its files in `out`. */
  name: string;
  /** The detector's final (O-Net) threshold as the user set it: the operating point scored. */
  thresholds: [number, number, number];
  /** The final threshold the detector actually runs with, so the ROC curve goes on to >= 1,000 FP. */
  rocThreshold: number;
  /**
   * Options passed on to `mtcnn detect` (without `--thresholds`, which is set from the two above),
   * ending with `--backend tfjs-wasm` unless a backend was given.
   */
  detectArgs: string[];
  /** Discard earlier results of this run instead of resuming them. */
  fresh: boolean;
  /** Markdown file whose generated table gets this run's rows, or `false`. */
  docs: string | false;
  data: string;
  evaluator: string;
  out: string;
}

export const USAGE = `usage: pnpm eval:fddb [--list dev|all] [--name LABEL] [--roc-threshold T] [--limit N] [--fresh]
                      [--docs FILE | --no-docs] [--out DIR] [--data DIR] [--evaluator FILE]
                      [...mtcnn detect options: --preset, --border, --thresholds, --min-face, --backend, --jobs, ...]`;

export const DEFAULT_THRESHOLDS: [number, number, number] = [0.6, 0.7, 0.7];
/**
 * The backend the numbers are measured on unless `--backend` is given: pinned, so a change of the
 * CLI's default backend does not silently change what a rerun measures (or resume a run made on
 * another backend).
 */
export const EVAL_BACKEND = 'tfjs-wasm';
/** Low enough that the curve on the dev list passes 1,000 false positives (measured: docs/accuracy.md). */
export const DEFAULT_ROC_THRESHOLD = 0.01;

/** Options of `mtcnn detect` that the evaluation sets itself, or that would break it. */
const RESERVED = new Set(['-o', '--output', '--resume', '--overwrite', '--box-format', '--annotate']);
/** Options that do not change the detections, so they stay out of the run's name. */
const NOT_IN_NAME = new Map([
  ['--jobs', 1],
  ['-j', 1],
  ['--quiet', 0],
  ['-q', 0],
  ['--stats', 0],
]);

export class ArgsError extends Error {}

function parseThresholds(v: string): [number, number, number] {
  const t = v.split(',').map(Number);
  // An empty part would read as 0 (Number('') === 0).
  if (t.length !== 3 || v.split(',').some((s) => s.trim() === '') || t.some((x) => !Number.isFinite(x)))
    throw new ArgsError(`--thresholds needs 3 comma-separated numbers, got ${v}.`);
  return t as [number, number, number];
}

/** `detectArgs` without the options that do not change the detections (`--jobs 2`, `-q`, ...). */
export function significantArgs(detectArgs: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < detectArgs.length; i++) {
    const a = detectArgs[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const skip = NOT_IN_NAME.get(eq > 0 ? a.slice(0, eq) : a);
    if (skip === undefined) kept.push(a);
    else if (eq < 0) i += skip;
  }
  return kept;
}

/** `--preset reference --border stretch` -> `preset-reference_border-stretch`; nothing -> `default`. */
export function runName(detectArgs: readonly string[], thresholds: readonly number[]): string {
  const parts: string[] = [];
  for (const a of significantArgs(detectArgs)) {
    if (!a.startsWith('-'))
      parts[parts.length - 1] = `${parts[parts.length - 1] ?? 'arg'}-${a}`; // a flag's value
    else parts.push(a.replace(/^-+/, '').replace('=', '-'));
  }
  if (thresholds.join() !== DEFAULT_THRESHOLDS.join()) parts.push(`thresholds-${thresholds.join(',')}`);
  return parts.length ? parts.join('_').replace(/[^A-Za-z0-9.,_-]/g, '-') : 'default';
}

/** Parse `pnpm eval:fddb`'s arguments; everything it does not know goes to `mtcnn detect`. */
export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  let list: EvalArgs['list'] = 'dev';
  let limit: number | undefined;
  let name: string | undefined;
  let thresholds = DEFAULT_THRESHOLDS;
  let rocThreshold = DEFAULT_ROC_THRESHOLD;
  let fresh = false;
  let docs: string | false = `${REPO_DIR}docs/accuracy.md`;
  let data = `${SHARED_DIR}data/fddb/`;
  let evaluator = `${SHARED_DIR}tools/eval-faces.mjs`;
  let out = `${REPO_DIR}out/fddb/`;
  const detectArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new ArgsError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--list': {
        const v = value();
        if (v !== 'dev' && v !== 'all') throw new ArgsError(`--list is dev or all, got ${v}.`);
        list = v;
        break;
      }
      case '--limit': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) throw new ArgsError('--limit needs a whole number >= 1.');
        limit = v;
        break;
      }
      case '--name':
        name = value();
        break;
      case '--roc-threshold': {
        const v = Number(value());
        if (!(v >= 0 && v <= 1)) throw new ArgsError('--roc-threshold needs a number in [0, 1].');
        rocThreshold = v;
        break;
      }
      case '--thresholds':
        thresholds = parseThresholds(value());
        break;
      case '--fresh':
        fresh = true;
        break;
      case '--docs':
        docs = value();
        break;
      case '--no-docs':
        docs = false;
        break;
      case '--data':
        data = value().replace(/\/?$/, '/');
        break;
      case '--evaluator':
        evaluator = value();
        break;
      case '--out':
        out = value().replace(/\/?$/, '/');
        break;
      default:
        if (RESERVED.has(flag)) throw new ArgsError(`${flag} is set by the evaluation itself; leave it out.`);
        detectArgs.push(a);
    }
  }
  const hasBackend = detectArgs.some((x) => x === '--backend' || x.startsWith('--backend='));
  return {
    list,
    limit,
    name: name ?? runName(detectArgs, thresholds), // before the pinned backend: it is the default here
    thresholds,
    rocThreshold: Math.min(rocThreshold, thresholds[2]),
    detectArgs: hasBackend ? detectArgs : [...detectArgs, '--backend', EVAL_BACKEND],
    fresh,
    docs,
    data,
    evaluator,
    out,
  };
}
