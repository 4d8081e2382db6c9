// Lint step (pnpm lint): lists every line longer than 120 characters in the tracked source files
// under packages/ and scripts/, as `path:line: N characters`, and exits 1 if there is one. Biome's
// formatter keeps code within 120 columns but never breaks string literals, template literals or
// comments; this catches those. Usage: node scripts/line-length.mjs [root] (default: the current
// folder; root must be inside a git work tree, as only `git ls-files` files are read).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MAX_LINE_LENGTH = 120;

const EXTENSIONS = /\.(ts|mts|mjs|js|tsx|vue|css|html)$/;
const FOLDERS = /^(packages|scripts)\//;
const SKIPPED_SEGMENTS = /(^|\/)(dist|node_modules)\//;

/** Generated files, by path from the root, each with the reason it is not checked. */
export const GENERATED = new Map([
  [
    'packages/core/src/wasm/area-wasm.ts',
    'written by packages/core/scripts/build-wasm.mjs: the WebAssembly module as one base64 string',
  ],
]);

/** A line that is nothing but a URL (bare, in a comment or as a string literal) may be as long as it needs. */
const URL_ONLY = /^\s*(?:\/\/|\/?\*+|<!--)?\s*<?(['"`]?)https?:\/\/\S+\1>?[,;)]*\s*(?:\*\/|-->)?$/;

/** Lines of `text` longer than `max` characters (code points), as { line, length }, 1-based. */
export function longLines(text, max = MAX_LINE_LENGTH) {
  const found = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.length <= max) continue; // UTF-16 units >= code points: most lines end here
    const length = [...line].length;
    if (length > max && !URL_ONLY.test(line)) found.push({ line: i + 1, length });
  }
  return found;
}

/** The tracked files under `root` that are checked, as paths from `root`. */
export function checkedFiles(root) {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return out
    .split('\0')
    .filter((path) => FOLDERS.test(path) && EXTENSIONS.test(path))
    .filter((path) => !SKIPPED_SEGMENTS.test(path) && !GENERATED.has(path));
}

/** `path:line: N characters` for every long line in the checked files under `root`. */
export function report(root) {
  const problems = [];
  for (const path of checkedFiles(root)) {
    let text;
    try {
      text = readFileSync(join(root, path), 'utf8');
    } catch (error) {
      if (error.code === 'ENOENT') continue; // deleted in the work tree, not yet in the index
      throw error;
    }
    const found = longLines(text);
    for (const { line, length } of found) problems.push(`${path}:${line}: ${length} characters`);
  }
  return problems;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = report(process.argv[2] ?? '.');
  for (const problem of problems) console.log(problem);
  if (problems.length > 0) {
    console.error(
      `${problems.length} line(s) longer than ${MAX_LINE_LENGTH} characters: ` +
        'split long strings with + or re-wrap the comment (scripts/line-length.mjs).',
    );
    process.exit(1);
  }
}
