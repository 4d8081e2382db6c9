// Batch runs through the real, built CLI (dist/bin.js) on real images in a temp directory:
// copies of examples/astronaut-collage.jpg, with ../shared's truncated.jpg as the corrupt one.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const SAMPLE = join(ROOT, 'examples/astronaut-collage.jpg');
const TRUNCATED = join(ROOT, '../shared/images/public/truncated.jpg');
const available = existsSync(TRUNCATED);
if (!available)
  console.warn(
    `\n!!! SKIPPED the CLI batch tests: ${TRUNCATED} not found. Put ` +
      `the project's shared/ folder beside the repository. !!!\n`,
  );

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mtcnn(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [BIN, 'detect', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(!available)('mtcnn detect over many images', () => {
  let dir: string;
  // In input order once `photos` is expanded (sorted): the corrupt file sits in the middle.
  const PHOTOS = ['photos/01.jpg', 'photos/02.jpg', 'photos/03-corrupt.jpg', 'photos/04.jpg', 'photos/sub/05.jpg'];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mtcnn-batch-'));
    mkdirSync(join(dir, 'photos/sub'), { recursive: true });
    mkdirSync(join(dir, 'more'));
    for (const f of PHOTOS) copyFileSync(f.includes('corrupt') ? TRUNCATED : SAMPLE, join(dir, f));
    copyFileSync(SAMPLE, join(dir, 'more/06.jpg'));
    copyFileSync(SAMPLE, join(dir, 'more/07.jpg'));
  });

  it(
    'expands directories and globs, records the corrupt file and ' +
      'the empty pattern in their places, goes on, exits 1',
    () => {
      const r = mtcnn(['photos', 'more/*.jpg', 'nothing/*.png'], dir);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as { file: string; faces?: unknown[]; error?: { code: string } }[];
      expect(out.map((e) => e.file)).toEqual([...PHOTOS, 'more/06.jpg', 'more/07.jpg', 'nothing/*.png']);
      expect(out[2].error).toEqual({ code: 'DECODE_FAILED', message: expect.stringContaining('03-corrupt.jpg') });
      expect(out[7].error).toEqual({ code: 'NO_MATCH', message: 'pattern nothing/*.png matches no file.' });
      for (const i of [0, 1, 3, 4, 5, 6]) expect(out[i].faces).toHaveLength(4);
      expect(r.stderr).toContain('mtcnn: 8 images: 6 ok, 2 failed (DECODE_FAILED 1, NO_MATCH 1)');
      expect(r.stderr).toContain('failed: photos/03-corrupt.jpg: DECODE_FAILED');
    },
  );

  it('exits 0 when every image has a result', () => {
    const r = mtcnn(['-q', 'more'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    expect(r.stderr).toBe('');
  });

  it('--jobs 2 prints the same array, in input order, as --jobs 1', () => {
    const one = mtcnn(['-q', '--jobs', '1', '--backend', 'tfjs-wasm', 'photos', 'more'], dir);
    const two = mtcnn(['-q', '--jobs', '2', '--backend', 'tfjs-wasm', 'photos', 'more'], dir);
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
  });

  it('--output streams one JSON line per image, tagged by file, and nothing on stdout', () => {
    const out = join(dir, 'stream.jsonl');
    const r = mtcnn(['--jobs', '2', '-o', out, 'photos', 'more'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const got = lines(out);
    expect(got.map((e) => e.file).sort()).toEqual([...PHOTOS, 'more/06.jpg', 'more/07.jpg'].sort());
    const array = JSON.parse(mtcnn(['-q', 'photos', 'more'], dir).stdout) as { file: string }[];
    // The same entries as the array, plus each image's absolute path (what --resume matches on).
    for (const e of array) expect(got.find((g) => g.file === e.file)).toEqual({ ...e, path: join(dir, e.file) });
  });

  it('--output - streams the JSON lines to stdout', () => {
    const r = mtcnn(['-q', '-o', '-', 'more'], dir);
    expect(r.code).toBe(0);
    // Completion order with 2 workers: tagged by file, so compare as a set.
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { file: string }).file)
        .sort(),
    ).toEqual(['more/06.jpg', 'more/07.jpg']);
  });

  it('--resume after a crash (kill -9, a cut last line) processes only the missing images, each once', async () => {
    const crash = join(dir, 'crash');
    mkdirSync(crash);
    const files = Array.from({ length: 10 }, (_, i) => `crash/${String(i).padStart(2, '0')}.jpg`);
    files.forEach((f, i) => {
      copyFileSync(i === 4 ? TRUNCATED : SAMPLE, join(dir, f));
    });
    const out = join(dir, 'crash.jsonl');
    // Kill the run as soon as two images are written.
    const child = spawn(process.execPath, [BIN, 'detect', '-q', '--jobs', '1', '-o', out, 'crash'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const exited = new Promise((res) => child.on('exit', res));
    while (!(existsSync(out) && lines(out).length >= 2) && child.exitCode === null)
      await new Promise((res) => setTimeout(res, 20));
    child.kill('SIGKILL');
    await exited;
    const before = lines(out).length;
    appendFileSync(out, '{"file":"crash/0'); // a line cut in the middle of its write
    const r = mtcnn(['--jobs', '2', '-o', out, '--resume', 'crash'], dir);
    expect(r.code).toBe(1); // crash/04.jpg is corrupt, whichever run recorded it
    const got = lines(out); // parses: the cut line is gone
    expect(got.map((e) => e.file).sort()).toEqual(files);
    if (before < files.length) expect(r.stderr).toContain(`; ${before} skipped, already in ${out}`);
    expect(r.stderr).toContain(`${files.length - before} image${files.length - before === 1 ? '' : 's'} processed`);
    // A second resume has nothing left to do.
    const again = mtcnn(['-o', out, '--resume', 'crash'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('0 images processed');
    expect(lines(out)).toHaveLength(files.length);
  });

  it('refuses to overwrite earlier results unless told to, and --resume needs --output', () => {
    const out = join(dir, 'keep.jsonl');
    writeFileSync(out, '{"file":"earlier.jpg","width":1,"height":1,"faces":[]}\n');
    const r = mtcnn(['-o', out, 'more'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already has results: pass --resume to continue it, or --overwrite to start it over');
    expect(lines(out)).toHaveLength(1);
    expect(mtcnn(['-q', '-o', out, '--overwrite', 'more'], dir).code).toBe(0);
    expect(
      lines(out)
        .map((e) => e.file)
        .sort(),
    ).toEqual(['more/06.jpg', 'more/07.jpg']);
    const noOut = mtcnn(['--resume', 'more'], dir);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--resume needs --output');
  });

  it('rejects --jobs 0, and more than 4 workers per core, as usage errors', () => {
    const r = mtcnn(['--jobs', '0', 'more'], dir);
    expect(r.code).toBe(2); // 1 would say "an image failed"
    expect(r.stderr).toContain('--jobs must be a whole number >= 1');
    const many = mtcnn(['--jobs', '1000', 'more'], dir);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain(
      `INVALID_OPTION: --jobs must be a whole number from 1 to ${4 * availableParallelism()}`,
    );
    expect(many.stdout).toBe('');
  });
});

describe('workers and onnxruntime-node under a long command line', () => {
  it('a CLI run with hundreds of long path arguments does not crash creating ONNX sessions in workers', () => {
    // onnxruntime-node 1.30 overflowed a worker's default native stack creating a session when the
    // process's command line was long (it crashed with SIGSEGV, exit 139, at ~17 KB of arguments).
    const missing = Array.from({ length: 800 }, (_, i) => `/no/such/dir/${'x'.repeat(100)}/${i}.jpg`);
    const r = spawnSync(
      process.execPath,
      [BIN, 'detect', '--backend', 'onnx', '--jobs', '2', '-q', SAMPLE, ...missing],
      {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1); // the missing files failed; the run finished
    const out = JSON.parse(r.stdout) as { faces?: unknown[]; error?: { code: string } }[];
    expect(out).toHaveLength(801);
    expect(out[0].faces).toHaveLength(4);
    expect(out.slice(1).every((e) => e.error?.code === 'DECODE_FAILED')).toBe(true);
  });
});
