import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** File extensions a directory is searched for (what sharp decodes), matched case-insensitively. */
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'avif', 'tif', 'tiff'] as const;

/** One image to process, or an argument that yielded none (reported in its place, like a bad file). */
export type InputItem = { file: string } | { file: string; error: { code: 'NO_MATCH'; message: string } };

/** Sorted by code unit, not locale, so the order is the same on every machine. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function kindOf(path: string): Promise<'file' | 'dir' | 'none'> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'none';
  }
}

/** `dir` joined with `rel` as the user typed `dir` (no normalisation, so `./photos/` stays recognisable). */
function under(dir: string, rel: string): string {
  return dir.endsWith('/') ? dir + rel : `${dir}/${rel}`;
}

/**
 * Expand the command line's arguments, in their order: a file stays as it is; a directory becomes
 * its images (recursively, sorted); a glob pattern becomes its matches (sorted). A path that does
 * not exist and is not a pattern stays too, so it fails like any unreadable image, in its place.
 * A pattern or directory with no image becomes a `NO_MATCH` item. A file named explicitly is
 * always kept (one entry per argument, as before); a file found by a directory or pattern is left
 * out when an earlier argument already gave it (say `photos/` and `photos/*.jpg`).
 */
export async function expandInputs(args: readonly string[], cwd = process.cwd()): Promise<InputItem[]> {
  const items: InputItem[] = [];
  const seen = new Set<string>();
  const push = (file: string, explicit: boolean): void => {
    const key = resolve(cwd, file);
    if (!explicit && seen.has(key)) return;
    seen.add(key);
    items.push({ file });
  };
  for (const arg of args) {
    const kind = await kindOf(resolve(cwd, arg));
    if (kind === 'file') {
      push(arg, true);
      continue;
    }
    let found: string[];
    let what: string;
    if (kind === 'dir') {
      const rel = await glob(`**/*.{${IMAGE_EXTENSIONS.join(',')}}`, {
        cwd: resolve(cwd, arg),
        caseSensitiveMatch: false,
        onlyFiles: true,
        expandDirectories: false,
      });
      found = rel.sort(byCodeUnit).map((r) => under(arg, r));
      what = `directory ${arg} holds no image (${IMAGE_EXTENSIONS.join(', ')})`;
    } else if (isDynamicPattern(arg)) {
      // An absolute pattern gives absolute paths; a relative one, paths relative to cwd.
      found = (await glob(arg, { cwd, onlyFiles: true, expandDirectories: false, absolute: isAbsolute(arg) })).sort(
        byCodeUnit,
      );
      what = `pattern ${arg} matches no file`;
    } else {
      push(arg, true); // missing file: reported by the decoder as DECODE_FAILED, in its place
      continue;
    }
    if (found.length === 0) items.push({ file: arg, error: { code: 'NO_MATCH', message: `${what}.` } });
    for (const f of found) push(f, false);
  }
  return items;
}
