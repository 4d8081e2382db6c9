import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lineProgress, silentProgress } from './progress.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const SAMPLE = join(ROOT, 'examples/astronaut-collage.jpg');
// util-linux `script` runs a command on a real pseudo-terminal.
const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.warn('\n!!! SKIPPED the progress-bar test: `script` (util-linux) is not installed. !!!\n');

describe('progress', () => {
  it("lineProgress writes each image's lines; silentProgress writes nothing", () => {
    const out: string[] = [];
    const p = lineProgress((l) => out.push(l));
    p.start(2, 0);
    p.tick(['a.jpg: 1 face'], false);
    p.tick(['b.jpg: DECODE_FAILED: cut'], true);
    p.note('note');
    p.stop();
    expect(out).toEqual(['a.jpg: 1 face', 'b.jpg: DECODE_FAILED: cut', 'note']);
    const s = silentProgress();
    s.start(1, 0);
    s.tick(['x'], true);
    s.stop();
  });

  it.skipIf(!hasScript)(
    'draws a bar (done/total, images/s, ETA) on a terminal, and stdout still carries only the results',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtcnn-tty-'));
      for (const f of ['a.jpg', 'b.jpg', 'c.jpg']) copyFileSync(SAMPLE, join(dir, f));
      const json = join(dir, 'out.json');
      // stderr is the pty; stdout goes to a file.
      const r = spawnSync(
        'script',
        ['-qec', `"${process.execPath}" "${BIN}" detect --jobs 1 "${dir}" > "${json}"`, '/dev/null'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/3\/3 images \| \d+\.\d\d img\/s \| ETA \S+ \| 0 failed/);
      expect(r.stdout).not.toContain('faces (800x416'); // no per-image lines under the bar
      expect(r.stdout).toContain('mtcnn: 3 images: 3 ok, 0 failed');
      expect(existsSync(json)).toBe(true);
      expect(JSON.parse(readFileSync(json, 'utf8'))).toHaveLength(3);
    },
  );
});
