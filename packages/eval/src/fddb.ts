#!/usr/bin/env node
// `pnpm eval:fddb`: the mtcnn CLI over ../shared/data/fddb (JSONL + --resume, so a rerun only
// scores), then ../shared/tools/eval-faces.mjs twice: at the detector's final threshold (the
// operating point) and over the whole low-threshold run (the FDDB ROC, out to >= 1,000 FP).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readJsonl } from '@mtcnn/cli';
import { ArgsError, parseEvalArgs, REPO_DIR, significantArgs, USAGE, type EvalArgs } from './args.js';
import { toEvalDetections } from './dets.js';
import { formatRun, tableRow, upsertRow, type EvalResult, type RunReport } from './report.js';

const CLI_BIN = fileURLToPath(new URL('./bin.js', import.meta.resolve('@mtcnn/cli')));

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((s) => s.replace(/#.*/, '').trim())
    .filter(Boolean);
}

function need(path: string, what: string): void {
  if (!existsSync(path))
    throw new ArgsError(
      `${what} not found at ${path}. Put the project's shared/ ` +
        `folder beside the repository (or pass --data / --evaluator).`,
    );
}

function runCli(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, 'detect', ...args], {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function evaluate(a: EvalArgs, dets: unknown, listFile: string, stem: string, curveFile?: string): EvalResult {
  const detsFile = `${a.out}${stem}.dets.json`;
  writeFileSync(detsFile, JSON.stringify(dets));
  // The evaluator runs its main only when argv[1] is its own real path: resolve symlinks.
  const args = [
    realpathSync(a.evaluator),
    '--gt',
    `${a.data}annotations.json`,
    '--dets',
    detsFile,
    '--list',
    listFile,
    '--json',
  ];
  if (curveFile) args.push('--curve', curveFile);
  return JSON.parse(execFileSync(process.execPath, args, { maxBuffer: 256 << 20, encoding: 'utf8' })) as EvalResult;
}

function baseCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: REPO_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** Detect (or resume), score, and (unless `docs: false`) record the run in the docs table. */
export async function evalFddb(
  a: EvalArgs,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<RunReport> {
  need(`${a.data}annotations.json`, 'FDDB annotations');
  need(a.evaluator, 'The evaluator eval-faces.mjs');
  const all = JSON.parse(readFileSync(`${a.data}annotations.json`, 'utf8')) as { file: string }[];
  let files = a.list === 'dev' ? readLines(`${a.data}dev.txt`) : all.map((x) => x.file);
  if (a.limit !== undefined) files = files.slice(0, a.limit);
  const list = a.limit !== undefined ? `${a.list}[:${a.limit}]` : a.list;
  const listStem = a.limit !== undefined ? `${a.list}-first${a.limit}` : a.list;

  mkdirSync(a.out, { recursive: true });
  // One JSONL per detector configuration, shared by the lists: `all` resumes what `dev` ran.
  const jsonl = `${a.out}${a.name}.t3-${a.rocThreshold}.jsonl`;
  if (a.fresh) rmSync(jsonl, { force: true });
  const [t1, t2, t3] = a.thresholds;
  const cliArgs = [
    ...a.detectArgs,
    '--thresholds',
    `${t1},${t2},${a.rocThreshold}`,
    '--box-format',
    'xywh',
    '-o',
    jsonl,
    '--resume',
    ...files,
  ];
  log(
    `eval:fddb: mtcnn detect ${[...a.detectArgs, '--thresholds', `${t1},${t2},${a.rocThreshold}`].join(' ')} ` +
      `-> ${jsonl} (${files.length} images)`,
  );
  const code = await runCli(cliArgs, a.data);
  if (code !== 0 && code !== 1) throw new Error(`mtcnn detect exited with code ${code}; see its messages above.`);

  const records = readJsonl(jsonl).records;
  const operating = toEvalDetections(records, files, t3);
  const curve = toEvalDetections(records, files, -Infinity);
  if (operating.missing.length > 0)
    throw new Error(`${operating.missing.length} images have no result in ${jsonl} (first: ${operating.missing[0]}).`);
  for (const f of operating.failed)
    log(`eval:fddb: WARNING: ${f.file}: ${f.code}: ${f.message} (scored as no detections)`);

  const listFile = `${a.out}${listStem}.list.txt`;
  writeFileSync(listFile, `${files.join('\n')}\n`);
  const stem = `${a.name}.${listStem}`;
  const report: RunReport = {
    name: a.name,
    list,
    detectArgs: significantArgs(a.detectArgs),
    finalThreshold: t3,
    rocThreshold: a.rocThreshold,
    operating: evaluate(a, operating.dets, listFile, `${stem}.operating`),
    curve: evaluate(a, curve.dets, listFile, `${stem}.curve`, `${a.out}${stem}.curve.roc.txt`),
    date: new Date().toISOString().slice(0, 10),
    commit: baseCommit(),
  };
  if (a.docs) {
    const before = existsSync(a.docs) ? readFileSync(a.docs, 'utf8') : '';
    writeFileSync(a.docs, upsertRow(before, tableRow(report)));
  }
  return report;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const a = parseEvalArgs(argv);
    const r = await evalFddb(a);
    process.stdout.write(`${formatRun(r)}\n`);
    if (a.docs) process.stderr.write(`eval:fddb: row "${r.name}" / ${r.list} written to ${a.docs}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`eval:fddb: ${(e as Error).message}\n${e instanceof ArgsError ? `${USAGE}\n` : ''}`);
    return 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = await main(process.argv.slice(2));
