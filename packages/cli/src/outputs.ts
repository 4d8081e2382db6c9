// Where the CLI writes per-image files (--annotate images, crops): one name per input, never an
// input, never an existing file unless --overwrite.
import { mkdir, open } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

/** The deepest directory holding every one of `files` (resolved). */
export function commonDirectory(files: readonly string[], cwd = process.cwd()): string {
  if (files.length === 0) return resolve(cwd);
  let common = dirname(resolve(cwd, files[0])).split(sep);
  for (const f of files.slice(1)) {
    const parts = dirname(resolve(cwd, f)).split(sep);
    let k = 0;
    while (k < common.length && k < parts.length && common[k] === parts[k]) k++;
    common = common.slice(0, k);
  }
  return common.join(sep) || sep;
}

/**
 * A stem per input (its path without extension, relative to the inputs' common directory, `/` as
 * separator), unique among this run's inputs: `c1/x.jpg` and `c2/x.jpg` give `c1/x` and `c2/x`
 * (they used to give one `x`), a single `photos/a.jpg` gives `a` as before. Two inputs that
 * differ only by extension (or by case, for case-insensitive disks) get `x`, then `x-2`, `x-3`...,
 * never a stem another input has by itself (`c1/x.png` and `c1/x-2.jpg` were both written to
 * `x-2_0.png`). The same inputs always give the same stems, so a resumed run writes the same files.
 */
export function outputStems(files: readonly string[], cwd = process.cwd()): string[] {
  const base = commonDirectory(files, cwd);
  const natural = files.map((f) => {
    const rel = relative(base, resolve(cwd, f));
    return rel
      .slice(0, rel.length - extname(rel).length)
      .split(sep)
      .join('/');
  });
  const fold = (s: string) => s.toLowerCase();
  const taken = new Set(natural.map(fold));
  const used = new Set<string>();
  return natural.map((stem) => {
    if (!used.has(fold(stem))) {
      used.add(fold(stem));
      return stem;
    }
    for (let k = 2; ; k++) {
      const candidate = `${stem}-${k}`;
      if (!taken.has(fold(candidate)) && !used.has(fold(candidate))) {
        used.add(fold(candidate));
        return candidate;
      }
    }
  });
}

/** An output file not written: `OUTPUT_EXISTS` (pass --overwrite) or `WRITE_FAILED` (the system's reason). */
export class OutputError extends Error {
  constructor(
    readonly code: 'OUTPUT_EXISTS' | 'WRITE_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

/**
 * Write `bytes` to `path`, creating its directory. Without `overwrite` the file must not exist
 * yet (opened with O_EXCL: no check-then-write race); `inputs` (resolved paths) are never
 * written, whatever `overwrite` says.
 */
export async function writeOutput(
  path: string,
  bytes: Uint8Array,
  o: { overwrite: boolean; inputs?: ReadonlySet<string> },
): Promise<void> {
  const target = resolve(path);
  if (o.inputs?.has(target)) throw new OutputError('WRITE_FAILED', `${path} is one of the inputs: not replaced.`);
  try {
    await mkdir(dirname(target), { recursive: true });
  } catch (e) {
    throw new OutputError('WRITE_FAILED', `Cannot write ${path}: ${(e as Error).message}`);
  }
  try {
    const handle = await open(target, o.overwrite ? 'w' : 'wx');
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST')
      throw new OutputError('OUTPUT_EXISTS', `${path} exists already: pass --overwrite to replace it.`);
    throw new OutputError('WRITE_FAILED', `Cannot write ${path}: ${err.message}`);
  }
}

/** `dir/stem.ext` for an output stem (which may hold `/`). */
export function outputPath(dir: string, stem: string, suffix: string): string {
  return join(dir, ...`${stem}${suffix}`.split('/'));
}
