// Issue 16 through the real, built `mtcnn` binary (dist/bin.js), on small generated inputs in temp
// directories. No timing is asserted: a generous spawn timeout proves only "does not hang".
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const SAMPLE = join(ROOT, 'examples/astronaut-collage.jpg');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function mtcnn(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const jsonLines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** No stack trace, no native abort: a message for the user. */
function quiet(r: Run): void {
  expect(r.signal).toBeNull();
  expect(r.stderr).not.toMatch(/\n\s+at |terminate called|Napi::Error/);
}

describe('mtcnn with hostile inputs and faults (issue 16)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mtcnn-hostile-cli-'));
    for (const d of ['c1', 'c2', 'c3', 'src', 'bad', 'other']) mkdirSync(join(dir, d));
    copyFileSync(SAMPLE, join(dir, 'c1/x.jpg'));
    copyFileSync(SAMPLE, join(dir, 'c2/x.jpg'));
    await sharp(SAMPLE).png().toFile(join(dir, 'c1/x.png'));
    copyFileSync(SAMPLE, join(dir, 'c3/x-2.jpg'));
    await sharp(SAMPLE).png().toFile(join(dir, 'src/a.png'));
    // bad/: a FIFO, /dev/zero behind a link, a 1.7 KB JPEG claiming 10000x10000, a truncated photo
    // with EOI appended, an SVG with a blur filter named .png.
    execFileSync('mkfifo', [join(dir, 'bad/fifo.jpg')]);
    symlinkSync('/dev/zero', join(dir, 'bad/evil.jpg'));
    const small = await sharp(SAMPLE).resize(48).jpeg({ quality: 90 }).toBuffer();
    const sof = small.indexOf(Buffer.from([0xff, 0xc0]));
    small.writeUInt16BE(10_000, sof + 5);
    small.writeUInt16BE(10_000, sof + 7);
    writeFileSync(join(dir, 'bad/liar.jpg'), small);
    const photo = readFileSync(SAMPLE);
    writeFileSync(
      join(dir, 'bad/cut.jpg'),
      Buffer.concat([photo.subarray(0, Math.floor(photo.length * 0.6)), Buffer.from([0xff, 0xd9])]),
    );
    writeFileSync(
      join(dir, 'bad/svg.png'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"><filter id="b"><feGaussianBlur ' +
        'stdDeviation="999"/></filter><rect width="100%" height="100%" filter="url(#b)"/></svg>',
    );
  });

  it(
    'items 1, 5, 6: a FIFO, /dev/zero, a lying header, a ' +
      'truncated photo and an SVG are typed error entries, quickly',
    () => {
      // A directory lists regular files only; the FIFO is named explicitly (it hung the batch).
      const r = mtcnn(['detect', '-q', '--jobs', '1', 'bad', 'bad/fifo.jpg'], dir);
      quiet(r);
      expect(r.code).toBe(1);
      const entries = JSON.parse(r.stdout) as { file: string; error?: { code: string } }[];
      expect(entries).toHaveLength(5); // the FIFO once: bad/ does not list it
      const byFile = Object.fromEntries(entries.map((e) => [e.file, e.error?.code]));
      expect(byFile).toEqual({
        'bad/cut.jpg': 'DECODE_FAILED',
        'bad/evil.jpg': 'DECODE_FAILED',
        'bad/fifo.jpg': 'DECODE_FAILED',
        'bad/liar.jpg': 'DECODE_FAILED',
        'bad/svg.png': 'UNSUPPORTED_FORMAT',
      });
    },
  );

  it(
    'item 2: --annotate keeps relative paths (c1/x.jpg, c2/x.jpg: two files), ' +
      'never replaces an input, nor an existing file without --overwrite',
    async () => {
      const out = join(dir, 'ann');
      const r = mtcnn(['detect', '-q', '--annotate', out, 'c1/x.jpg', 'c2/x.jpg', 'c1/x.png'], dir);
      quiet(r);
      expect(r.code).toBe(0);
      expect(readdirSync(join(out, 'c1')).sort()).toEqual(['x-2.png', 'x.png']);
      expect(readdirSync(join(out, 'c2'))).toEqual(['x.png']);
      expect((await sharp(join(out, 'c2/x.png')).metadata()).width).toBe(800);
      // Again: the images exist; the detections stand, the annotations are refused beside them.
      const again = mtcnn(['detect', '-q', '--annotate', out, 'c1/x.jpg', 'c2/x.jpg'], dir);
      expect(again.code).toBe(1);
      const entries = JSON.parse(again.stdout) as { faces: unknown[]; annotation_error?: { code: string } }[];
      for (const e of entries) {
        expect(e.faces).toHaveLength(4);
        expect(e.annotation_error?.code).toBe('OUTPUT_EXISTS');
      }
      expect(mtcnn(['detect', '-q', '--overwrite', '--annotate', out, 'c1/x.jpg'], dir).code).toBe(0);
      // --annotate src src/a.png would write src/a.png over the input.
      const before = readFileSync(join(dir, 'src/a.png'));
      const self = mtcnn(['detect', '--annotate', 'src', 'src/a.png'], dir);
      expect(self.code).toBe(2);
      expect(self.stderr).toContain('would replace the input');
      expect(readFileSync(join(dir, 'src/a.png')).equals(before)).toBe(true);
    },
  );

  it(
    'item 8: an --annotate directory that cannot be written ' +
      'keeps the faces, reports the failure beside them, exits 1',
    () => {
      writeFileSync(join(dir, 'not-a-dir'), 'x');
      const r = mtcnn(['detect', '--annotate', 'not-a-dir/sub', 'c1/x.jpg'], dir);
      quiet(r);
      expect(r.code).toBe(1);
      const [e] = JSON.parse(r.stdout) as { faces: unknown[]; annotation_error: { code: string; message: string } }[];
      expect(e.faces).toHaveLength(4);
      expect(e.annotation_error).toEqual({ code: 'WRITE_FAILED', message: expect.stringContaining('not-a-dir/sub') });
      expect(r.stderr).toContain('WRITE_FAILED 1');
    },
  );

  it(
    'item 8: --resume redoes an image whose annotation failed ' + '(once the directory can be written), and only it',
    () => {
      const out = join(dir, 'annotate-resume.jsonl');
      writeFileSync(join(dir, 'blocker'), 'x'); // blocker/sub cannot be made
      const first = mtcnn(['detect', '-q', '-o', out, '--annotate', 'blocker/sub', 'c1/x.jpg', 'c2/x.jpg'], dir);
      quiet(first);
      expect(first.code).toBe(1);
      expect(jsonLines(out).map((e) => (e.annotation_error as { code: string } | undefined)?.code)).toEqual([
        'WRITE_FAILED',
        'WRITE_FAILED',
      ]);
      rmSync(join(dir, 'blocker'));
      const again = mtcnn(['detect', '-o', out, '--resume', '--annotate', 'blocker/sub', 'c1/x.jpg', 'c2/x.jpg'], dir);
      quiet(again);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('2 images processed');
      expect(readdirSync(join(dir, 'blocker/sub/c1'))).toEqual(['x.png']);
      expect(readdirSync(join(dir, 'blocker/sub/c2'))).toEqual(['x.png']);
      // The redone entries are the ones that count now: a third run has nothing left to do.
      const third = mtcnn(['detect', '-o', out, '--resume', '--annotate', 'blocker/sub', 'c1/x.jpg', 'c2/x.jpg'], dir);
      expect(third.code).toBe(0);
      expect(third.stderr).toContain('0 images processed');
    },
  );

  it(
    'items 2 and 8: crop names keep relative paths (c1/x.png and c3/x-2.jpg: every crop ' +
      'its own file); existing crops and write failures are entries, the JSON is printed',
    () => {
      const out = join(dir, 'crops');
      const r = mtcnn(['crop', '-q', '--out', out, 'c1/x.png', 'c3/x-2.jpg'], dir);
      quiet(r);
      expect(r.code).toBe(0);
      const entries = JSON.parse(r.stdout) as { crops: { path: string; error?: { code: string } }[] }[];
      const paths = entries.flatMap((e) => e.crops.map((c) => c.path));
      expect(paths).toHaveLength(8);
      expect(new Set(paths).size).toBe(8);
      for (const p of paths) expect(existsSync(p)).toBe(true);
      // The same inputs again: the same names, which exist now.
      const again = mtcnn(['crop', '-q', '--out', out, 'c1/x.png', 'c3/x-2.jpg'], dir);
      quiet(again);
      expect(again.code).toBe(1);
      const codes = (JSON.parse(again.stdout) as { crops: { error?: { code: string } }[] }[]).flatMap((e) =>
        e.crops.map((c) => c.error?.code),
      );
      expect(codes).toEqual(new Array(8).fill('OUTPUT_EXISTS'));
      expect(mtcnn(['crop', '-q', '--overwrite', '--out', out, 'c1/x.png', 'c3/x-2.jpg'], dir).code).toBe(0);
      // A crop directory that cannot be made (c1 under --out is a file): entries, JSON printed, exit 1.
      const blocked = join(dir, 'blocked');
      mkdirSync(blocked);
      writeFileSync(join(blocked, 'c1'), 'x');
      const failed = mtcnn(['crop', '-q', '--out', blocked, 'c1/x.png', 'c2/x.jpg'], dir);
      quiet(failed);
      expect(failed.code).toBe(1);
      const got = JSON.parse(failed.stdout) as { file: string; crops: { error?: { code: string } }[] }[];
      expect(got[0].crops.every((c) => c.error?.code === 'WRITE_FAILED')).toBe(true);
      expect(got[1].crops.every((c) => c.error === undefined)).toBe(true);
    },
  );

  it(
    'item 8: -o into a missing directory, -o a directory: a message and exit 2; item ' +
      '11: -o of a file that is not our JSONL, or an input, is refused untouched',
    () => {
      const missing = mtcnn(['detect', '-o', 'missing/dir/x.jsonl', 'c1/x.jpg'], dir);
      quiet(missing);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('does not exist');
      const isDir = mtcnn(['detect', '-o', 'c2', 'c1/x.jpg'], dir);
      expect(isDir.code).toBe(2);
      expect(isDir.stderr).toContain('is a directory');
      const photo = readFileSync(join(dir, 'c3/x-2.jpg'));
      for (const flags of [['--resume'], ['--overwrite']]) {
        const r = mtcnn(['detect', ...flags, '-o', 'c3/x-2.jpg', 'c1/x.jpg'], dir);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('not an mtcnn JSONL file');
      }
      const input = mtcnn(['detect', '--overwrite', '-o', 'c3/x-2.jpg', 'c3'], dir);
      expect(input.code).toBe(2);
      expect(readFileSync(join(dir, 'c3/x-2.jpg')).equals(photo)).toBe(true);
    },
  );

  it(
    'item 11: --resume from another directory finds the images by ' +
      'path; a damaged middle line is warned about and redone',
    () => {
      const out = join(dir, 'resume.jsonl');
      expect(mtcnn(['detect', '-q', '-o', out, 'c1/x.jpg', 'c2/x.jpg', 'c3/x-2.jpg'], dir).code).toBe(0);
      const other = mtcnn(
        ['detect', '-o', out, '--resume', '../c1/x.jpg', '../c2/x.jpg', '../c3/x-2.jpg'],
        join(dir, 'other'),
      );
      expect(other.code).toBe(0);
      expect(other.stderr).toContain('0 images processed');
      expect(jsonLines(out)).toHaveLength(3);
      // Damage the middle line: it is reported, and its image is done again.
      const text = readFileSync(out, 'utf8').split('\n');
      const damaged = JSON.parse(text[1]) as { file: string };
      text[1] = text[1].slice(0, 40);
      writeFileSync(out, text.join('\n'));
      const r = mtcnn(['detect', '-o', out, '--resume', 'c1/x.jpg', 'c2/x.jpg', 'c3/x-2.jpg'], dir);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('line 2 is not a detect entry');
      expect(r.stderr).toContain('1 image processed');
      const valid = readFileSync(out, 'utf8')
        .split('\n')
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as { file: string }];
          } catch {
            return []; // the damaged line is left as it was: nothing is deleted
          }
        });
      expect(valid.filter((l) => l.file === damaged.file)).toHaveLength(1);
    },
  );

  it('item 11: an output file another run holds is refused (exit 2), naming the lock', async () => {
    const out = join(dir, 'locked.jsonl');
    writeFileSync(out, '');
    const release = await lockfile.lock(out, { realpath: false });
    try {
      const r = await new Promise<Run>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'detect', '-o', out, 'c1/x.jpg'], { cwd: dir });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('is being written by another mtcnn run');
      expect(readFileSync(out, 'utf8')).toBe('');
    } finally {
      await release();
    }
  });

  it(
    'item 3: `mtcnn detect -o - | head -1` ends quietly (exit 141) when ' +
      'its reader goes; a full disk (-o /dev/full) is a message, exit 2',
    async () => {
      const many = join(dir, 'many');
      mkdirSync(many);
      for (let i = 0; i < 8; i++) copyFileSync(SAMPLE, join(many, `${i}.jpg`));
      const r = await new Promise<Run>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'detect', '-q', '-j', '2', '-o', '-', 'many'], { cwd: dir });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.stdout.once('data', () => child.stdout.destroy()); // the reader stops after the first line
        child.on('exit', (code, signal) => resolve({ code, signal, stdout: '', stderr }));
      });
      quiet(r);
      expect(r.code).toBe(141);
      expect(r.stderr).toBe('');
      const full = mtcnn(['detect', '-q', '-o', '/dev/full', 'c1/x.jpg', 'c2/x.jpg'], dir);
      quiet(full);
      expect(full.code).toBe(2);
      expect(full.stderr).toContain('Cannot write /dev/full: ENOSPC');
    },
  );

  it(
    'item 6: --timeout makes an image that takes longer a TIMEOUT ' +
      'entry (during decoding too); a bad value is a usage error',
    async () => {
      await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#406080' } })
        .jpeg()
        .toFile(join(dir, 'big.jpg'));
      const r = mtcnn(['detect', '-q', '--timeout', '0.001', 'big.jpg', 'c1/x.jpg'], dir);
      quiet(r);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as { error?: { code: string } }[];
      expect(out[0].error?.code).toBe('TIMEOUT');
      const generous = mtcnn(['detect', '-q', '--timeout', '600', 'c1/x.jpg'], dir);
      expect(generous.code).toBe(0);
      expect(mtcnn(['detect', '--timeout', '0', 'c1/x.jpg'], dir).code).toBe(2);
    },
  );

  it('file names with ESC or a newline are escaped on stderr (JSON on stdout escapes them itself)', () => {
    const name = 'we\u001b[31mird\nname.jpg';
    writeFileSync(join(dir, name), 'not an image');
    const r = mtcnn(['detect', name], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('we\\x1b[31mird\\nname.jpg');
    expect((JSON.parse(r.stdout) as { file: string }[])[0].file).toBe(name);
  });
});
