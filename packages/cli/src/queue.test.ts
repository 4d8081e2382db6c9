// `mtcnn queue` end to end: a real redis-server, worker processes of the built CLI, real faults
// (SIGKILL of a worker, a Redis restart), FDDB dev images compared with `mtcnn detect`.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatus, type QueueStatus } from '@mtcnn/queue';
import { startRedisServer, type RedisServer } from '@mtcnn/queue/testing';
import { run } from './program.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const SHARED = resolve(ROOT, '../shared');
const FDDB = join(SHARED, 'data/fddb');
const BIG_SOURCE = join(SHARED, 'images/dev/bbt1_1920x1080.jpg');
const available = existsSync(join(FDDB, 'dev.txt')) && existsSync(BIG_SOURCE);
if (!available)
  console.warn(
    `\n!!! SKIPPED the queue end-to-end tests: ${FDDB}/dev.txt not found. ` +
      `Put the project's shared/ folder beside the repository. !!!\n`,
  );

const devImages = (n: number): string[] =>
  readFileSync(join(FDDB, 'dev.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, n)
    .map((f) => join(FDDB, f));

type Entry = { file: string } & Record<string, unknown>;
const jsonl = (path: string): Entry[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry);

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// Short locks so that a dead worker's job is taken over in seconds (production keeps BullMQ's 30 s).
const LOCK = ['--lock-ms', '3000', '--stalled-ms', '1000'];

interface WorkerProcess {
  child: ChildProcess;
  /** Its BullMQ worker name, as `queue status` shows it. */
  name: string;
  log: () => string;
  exit: Promise<number | null>;
}

const workers: WorkerProcess[] = [];

/** `mtcnn queue work` in its own process: ONNX Runtime on one thread, as `detect --jobs` workers. */
function startWorker(redis: string, queue: string): WorkerProcess {
  const child = spawn(
    process.execPath,
    [BIN, 'queue', 'work', '--redis', redis, '--queue', queue, '--backend', 'onnx', '--concurrency', '1', ...LOCK],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  const w: WorkerProcess = {
    child,
    name: `${hostname()}:${child.pid}`,
    log: () => log,
    exit: new Promise((r) => child.once('exit', (code) => r(code))),
  };
  workers.push(w);
  return w;
}

async function stopWorker(w: WorkerProcess): Promise<number | null> {
  w.child.kill('SIGTERM');
  return w.exit;
}

// Whole runs of worker processes: minutes on a machine shared by a busy team, seconds on a quiet one.
const E2E_TIMEOUT = 900_000;

/** Poll the run's status until `check` accepts it (a generous deadline only stops a hung test). */
async function waitStatus(redis: string, queue: string, check: (s: QueueStatus) => boolean): Promise<QueueStatus> {
  const t0 = Date.now();
  for (;;) {
    const s = await queueStatus({ redis, queue });
    if (check(s)) return s;
    if (Date.now() - t0 > E2E_TIMEOUT - 60_000)
      throw new Error(`gave up waiting on queue ${queue}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const finished = (s: QueueStatus): boolean => s.images > 0 && s.done === s.images;

describe.skipIf(!available)('mtcnn queue, end to end', () => {
  let server: RedisServer;
  const dir = mkdtempSync(join(tmpdir(), 'mtcnn-queue-'));
  const files = devImages(300);
  /** `mtcnn detect`'s entry of each of the 300 images, by file. */
  const reference = new Map<string, Entry>();

  beforeAll(async () => {
    server = await startRedisServer();
    const out = join(dir, 'detect.jsonl');
    const r = await cli('detect', '--backend', 'onnx', '--jobs', '2', '-q', '-o', out, ...files);
    expect(r.code).toBe(0);
    // detect's JSONL lines also carry the absolute `path` (what its --resume matches on); the entry is the rest.
    for (const { path: _path, ...e } of jsonl(out)) reference.set(e.file, e);
    expect(reference.size).toBe(300);
  }, E2E_TIMEOUT);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exit));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    '300 FDDB dev images through 2 worker processes: the same entries as mtcnn detect, in input order',
    async () => {
      const url = server.url;
      const add = await cli('queue', 'add', '--redis', url, '--queue', 'fddb', ...files);
      expect(add.code).toBe(0);
      expect(add.stderr).toContain('queued 300 images in 19 jobs');
      // Adding the same list again queues nothing.
      const again = await cli('queue', 'add', '--redis', url, '--queue', 'fddb', ...files);
      expect(again.stderr).toContain('queued 0 images in 0 jobs on queue fddb');
      expect(again.stderr).toContain('(300 already in the run)');

      // Before any worker: nothing invented, everything pending, exit 3.
      const early = await cli('queue', 'results', '--redis', url, '--queue', 'fddb');
      expect(early).toMatchObject({ code: 3, stdout: '' });
      expect(early.stderr).toContain('0 of 300 images (0 errors); 300 pending (not done yet)');

      const [a, b] = [startWorker(url, 'fddb'), startWorker(url, 'fddb')];
      const status = await waitStatus(url, 'fddb', finished);
      expect(status).toMatchObject({ images: 300, done: 300, errors: 0, workers: 2 });
      expect(status.jobs).toMatchObject({ waiting: 0, active: 0, completed: 19, failed: 0 });

      const out = join(dir, 'queue.jsonl');
      const r = await cli('queue', 'results', '--redis', url, '--queue', 'fddb', '-o', out);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`300 of 300 images written to ${out} (0 errors)`);
      const entries = jsonl(out);
      expect(entries.map((e) => e.file)).toEqual(files);
      expect(entries).toEqual(files.map((f) => reference.get(f)));

      // Both processes took jobs; SIGTERM stops each with exit code 0.
      for (const w of [a, b]) expect(w.log()).toMatch(/^job c[0-9a-f]+: \d+ images in/m);
      expect(await stopWorker(a)).toBe(0);
      expect(await stopWorker(b)).toBe(0);
    },
    E2E_TIMEOUT,
  );

  it(
    'a worker SIGKILLed mid-job: another takes its job over, and every image is in the results once',
    async () => {
      const url = server.url;
      const mine = files.slice(0, 96);
      await cli('queue', 'add', '--redis', url, '--queue', 'kill', '--chunk', '8', ...mine);
      const [a, b] = [startWorker(url, 'kill'), startWorker(url, 'kill')];
      // Kill `a` while it is inside a job (after one of its images, before the last).
      const caught = await waitStatus(url, 'kill', (s) =>
        s.active.some((j) => j.worker === a.name && j.done >= 1 && j.done < j.images - 1),
      );
      const victim = caught.active.find((j) => j.worker === a.name)!;
      a.child.kill('SIGKILL');
      expect(await a.exit).toBeNull(); // killed, no exit code

      const status = await waitStatus(url, 'kill', finished);
      expect(status).toMatchObject({ images: 96, done: 96, errors: 0, jobs: { completed: 12, failed: 0 } });
      expect(b.log()).toContain(`job ${victim.jobId} stalled`);
      expect(b.log()).toMatch(new RegExp(`^job ${victim.jobId}: 8 images in`, 'm'));

      const r = await cli('queue', 'results', '--redis', url, '--queue', 'kill');
      expect(r.code).toBe(0);
      const entries = r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Entry);
      expect(entries.map((e) => e.file)).toEqual(mine);
      expect(entries).toEqual(mine.map((f) => reference.get(f)));
      expect(await stopWorker(b)).toBe(0);
    },
    E2E_TIMEOUT,
  );

  it(
    'Redis restarted mid-run with appendonly yes: the work resumes and nothing is lost',
    async () => {
      const aof = await startRedisServer({ appendonly: true });
      try {
        const url = aof.url;
        const mine = files.slice(100, 196);
        await cli('queue', 'add', '--redis', url, '--queue', 'restart', '--chunk', '8', ...mine);
        const [a, b] = [startWorker(url, 'restart'), startWorker(url, 'restart')];
        const before = await waitStatus(url, 'restart', (s) => s.jobs.completed >= 3 && s.done < s.images);
        await aof.restart();
        const after = await queueStatus({ redis: url, queue: 'restart' });
        expect(after.images).toBe(96);
        expect(after.jobs.completed).toBeGreaterThanOrEqual(before.jobs.completed); // kept across the restart

        const status = await waitStatus(url, 'restart', finished);
        expect(status).toMatchObject({ images: 96, done: 96, errors: 0, jobs: { completed: 12, failed: 0 } });
        const out = join(dir, 'restart.jsonl');
        expect((await cli('queue', 'results', '--redis', url, '--queue', 'restart', '-o', out)).code).toBe(0);
        expect(jsonl(out)).toEqual(mine.map((f) => reference.get(f)));
        expect(await stopWorker(a)).toBe(0);
        expect(await stopWorker(b)).toBe(0);
      } finally {
        await aof.stop();
      }
    },
    E2E_TIMEOUT,
  );

  it(
    'a poison image (its worker dies on it every time) ends as a failed job with its code, and blocks nothing',
    async () => {
      const url = server.url;
      // A 4K image, slow enough to be caught in progress. The test plays the out-of-memory killer:
      // whichever worker starts it is SIGKILLed, and a new worker replaces it.
      const poison = join(dir, 'poison-4k.jpg');
      await sharp(BIG_SOURCE).resize(3840, 2160).jpeg().toFile(poison);
      const mine = [...files.slice(200, 202), poison, ...files.slice(202, 209)];
      const add = await cli(
        'queue',
        'add',
        '--redis',
        url,
        '--queue',
        'poison',
        '--chunk',
        '5',
        '--attempts',
        '2',
        ...mine,
      );
      expect(add.code).toBe(0);
      startWorker(url, 'poison');
      startWorker(url, 'poison');
      const killed = new Set<string>();
      // A job whose worker was killed stays active, on the poison, until it is taken over: look for a live one.
      const onPoison = (s: QueueStatus) =>
        s.active.find((j) => j.current === poison && j.worker !== undefined && !killed.has(j.worker));
      for (;;) {
        const s = await waitStatus(url, 'poison', (x) => finished(x) || onPoison(x) !== undefined);
        if (finished(s)) break;
        const w = workers.find((x) => x.name === onPoison(s)!.worker)!;
        w.child.kill('SIGKILL');
        killed.add(w.name);
        await w.exit;
        startWorker(url, 'poison');
      }
      const kills = killed.size;
      expect(kills).toBe(2); // --attempts 2: tried twice, then given up without a third try

      const status = await queueStatus({ redis: url, queue: 'poison' });
      expect(status).toMatchObject({ images: 10, done: 10, errors: 1, jobs: { completed: 1, failed: 1 } });
      expect(status.failed).toEqual([expect.objectContaining({ file: poison, code: 'WORKER_CRASHED', images: 1 })]);
      const r = await cli('queue', 'results', '--redis', url, '--queue', 'poison');
      expect(r.code).toBe(1); // all done, one error entry
      const entries = r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Entry);
      expect(entries.map((e) => e.file)).toEqual(mine);
      expect(entries[2]).toEqual({
        file: poison,
        error: { code: 'WORKER_CRASHED', message: 'The worker processing this image died. (given up after 2 tries)' },
      });
      entries.forEach((e, k) => {
        if (k !== 2) expect(e).toEqual(reference.get(e.file));
      });
      const text = await cli('queue', 'status', '--redis', url, '--queue', 'poison');
      expect(text.stdout).toMatch(/^failed job c[0-9a-f]+: WORKER_CRASHED: .*poison-4k\.jpg: /m);
    },
    E2E_TIMEOUT,
  );
});
