import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { longLines } from './line-length.mjs';

const SCRIPT = fileURLToPath(new URL('./line-length.mjs', import.meta.url));
const long = (n: number) => `const s = '${'x'.repeat(n - 13)}';`; // a line of exactly n characters

describe('scripts/line-length.mjs', () => {
  const root = mkdtempSync(join(tmpdir(), 'line-length-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const run = () => spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });

  it('counts characters, not bytes, and lets a line that is only a URL through', () => {
    expect(long(120)).toHaveLength(120);
    expect(longLines(`${long(120)}\r\n${long(121)}\n${'é'.repeat(120)}\n`)).toEqual([{ line: 2, length: 121 }]);
    const url = `https://example.com/${'a'.repeat(120)}`;
    expect(longLines(`// ${url}\n * <${url}>\n  '${url}',\n${url}\n`)).toEqual([]);
    expect(longLines(`// see ${url}\n`)).toHaveLength(1);
  });

  it('lists the long lines of tracked sources under packages/ and scripts/ only, and exits 1', () => {
    execFileSync('git', ['init', '-q'], { cwd: root });
    write('packages/a/src/ok.ts', `${long(120)}\n`);
    write('packages/a/src/bad.ts', `// fine\n${long(130)}\n`);
    write('packages/a/dist/bad.js', `${long(130)}\n`); // build output
    write('packages/a/src/notes.md', `${long(130)}\n`); // not a source
    write('scripts/bad.mjs', `${long(121)}\n`);
    write('other/bad.ts', `${long(130)}\n`); // outside packages/ and scripts/
    write('packages/a/src/untracked.ts', `${long(130)}\n`);
    execFileSync('git', ['add', 'packages/a/src/ok.ts', 'packages/a/src/bad.ts', 'packages/a/dist', 'other'], {
      cwd: root,
    });
    execFileSync('git', ['add', 'packages/a/src/notes.md', 'scripts'], { cwd: root });
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n').sort()).toEqual([
      'packages/a/src/bad.ts:2: 130 characters',
      'scripts/bad.mjs:1: 121 characters',
    ]);
  });

  it('exits 0 when every line fits', () => {
    write('packages/a/src/bad.ts', `// fine\n${long(120)}\n`);
    write('scripts/bad.mjs', `${long(60)}\n`);
    const r = run();
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
