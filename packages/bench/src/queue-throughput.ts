/**
 * The queue part of `pnpm bench:serve`: images/s of 1 and 2 `mtcnn queue work` processes (one
 * thread each) on a real redis-server, against `mtcnn detect --jobs 1` / `--jobs 2` on the same
 * list, interleaved so that load from elsewhere falls on all alike. Wall time of whole commands:
 * process start, detector start-up and every image, as a user would see it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer, type RedisServer } from '@mtcnn/queue/testing';
import { Redis } from 'ioredis';
import { REPO_DIR } from './protocol.js';

const CLI_BIN = join(REPO_DIR, 'packages/cli/dist/bin.js');

export interface QueueRun {
  /** `detect` (one process, `--jobs N` threads) or `queue` (N worker processes, one thread each). */
  kind: 'detect' | 'queue';
  parallelism: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface QueueThroughput {
  backend: string;
  images: number;
  /** Rounds run; each figure below is the best (fastest) of them. */
  rounds: number;
  /** Best run per kind and parallelism. */
  best: QueueRun[];
  /** Every run, in the order run. */
  runs: QueueRun[];
  /** Seconds of `mtcnn queue add` for the list (once per round; the best). */
  addSeconds: number;
  /** Redis memory per image once the run is done (jobs, results, records): bytes. */
  redisBytesPerImage: number;
  /** queue with 2 workers / queue with 1 (target >= 1.7). */
  scaling: number;
  /** 1 - queue images/s / detect images/s, at 1 and at 2 (target < 0.10). */
  overhead1: number;
  overhead2: number;
  load: { start: number; end: number };
}

function runCommand(args: string[], what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      // 1 = some image could not be read: still a measurement.
      if (code === 0 || code === 1) resolve((performance.now() - t0) / 1000);
      else reject(new Error(`${what} exited with ${code}`));
    });
  });
}

async function runDetect(files: string[], jobs: number, backend: string, out: string): Promise<number> {
  const args = ['detect', '-q', '--backend', backend, '--jobs', String(jobs), '-o', out, '--overwrite', ...files];
  return runCommand(args, `mtcnn detect --jobs ${jobs}`);
}

/** `workers` processes of `mtcnn queue work --concurrency 1 --until-done`: seconds until the last exits. */
async function runQueue(redis: RedisServer, queue: string, files: string[], workers: number, backend: string) {
  const t0 = performance.now();
  await runCommand(['queue', 'add', '--redis', redis.url, '--queue', queue, '--backend', backend, ...files], 'add');
  const addSeconds = (performance.now() - t0) / 1000;
  const work = ['queue', 'work', '-q', '--redis', redis.url, '--queue', queue, '--concurrency', '1', '--until-done'];
  const seconds = Math.max(
    ...(await Promise.all(Array.from({ length: workers }, () => runCommand(work, 'mtcnn queue work')))),
  );
  return { addSeconds, seconds };
}

/** Redis's own figure for the memory it uses (bytes). */
async function usedMemory(redis: RedisServer): Promise<number> {
  const client = new Redis(redis.url);
  try {
    const info = await client.info('memory');
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

export async function measureQueueThroughput(
  files: string[],
  backend: string,
  rounds: number,
  log: (line: string) => void,
): Promise<QueueThroughput> {
  const loadStart = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'mtcnn-bench-queue-'));
  const redis = await startRedisServer({ appendonly: true });
  const runs: QueueRun[] = [];
  let addSeconds = Number.POSITIVE_INFINITY;
  let redisBytesPerImage = 0;
  const record = (kind: QueueRun['kind'], parallelism: number, seconds: number): void => {
    const r = { kind, parallelism, seconds, imagesPerSecond: files.length / seconds };
    runs.push(r);
    log(
      `  ${kind} x${parallelism}: ${seconds.toFixed(1)} ` +
        `s, ${r.imagesPerSecond.toFixed(2)} images/s (load ${loadavg()[0].toFixed(1)})`,
    );
  };
  try {
    for (let round = 0; round < rounds; round++) {
      // Interleaved, so that a change of load from elsewhere falls on both kinds.
      for (const p of [1, 2]) {
        record('detect', p, await runDetect(files, p, backend, join(dir, `detect-${p}.jsonl`)));
        const before = await usedMemory(redis);
        const q = await runQueue(redis, `bench-${round}-${p}`, files, p, backend);
        addSeconds = Math.min(addSeconds, q.addSeconds);
        redisBytesPerImage = ((await usedMemory(redis)) - before) / files.length;
        record('queue', p, q.seconds);
      }
    }
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const best = (kind: QueueRun['kind'], p: number): QueueRun =>
    runs.filter((r) => r.kind === kind && r.parallelism === p).sort((a, b) => a.seconds - b.seconds)[0];
  const bests = [best('detect', 1), best('queue', 1), best('detect', 2), best('queue', 2)];
  const [d1, q1, d2, q2] = bests;
  return {
    backend,
    images: files.length,
    rounds,
    best: bests,
    runs,
    addSeconds,
    redisBytesPerImage,
    scaling: q2.imagesPerSecond / q1.imagesPerSecond,
    overhead1: 1 - q1.imagesPerSecond / d1.imagesPerSecond,
    overhead2: 1 - q2.imagesPerSecond / d2.imagesPerSecond,
    load: { start: loadStart, end: loadavg()[0] },
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The "Queue" section of docs/benchmarks.md: the runs, and the targets of issue 12 with whether they were met. */
export function queueMarkdown(r: QueueThroughput, machine: string, load: string): string {
  const row = (name: string, q: QueueRun): string =>
    `| ${name} | ${q.parallelism} | ${q.seconds.toFixed(1)} | ${q.imagesPerSecond.toFixed(2)} |`;
  const [d1, q1, d2, q2] = r.best;
  const overhead = Math.max(r.overhead1, r.overhead2);
  return [
    '## Queue (`pnpm bench:serve`)',
    '',
    `${r.images} FDDB dev images (absolute paths, default options, backend \`${r.backend}\`, one thread ` +
      `per detector), wall time of whole commands (process start, detector start-up, every image); \`mtcnn ` +
      `queue work --concurrency 1 --until-done\` processes on a redis-server (appendonly yes) on 127.0.0.1, ` +
      `the images queued first; each row the best of ${r.rounds} interleaved round(s); ${machine}.`,
    '',
    `**Load:** ${load}`,
    '',
    '| command | cores | seconds | images/s |',
    '| --- | ---: | ---: | ---: |',
    row('`mtcnn detect --jobs 1`', d1),
    row('`mtcnn queue work`, 1 process', q1),
    row('`mtcnn detect --jobs 2`', d2),
    row('`mtcnn queue work`, 2 processes', q2),
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    `| 2 workers >= 1.7 x 1 worker | ${r.scaling.toFixed(2)}x | ${r.scaling >= 1.7 ? 'yes' : 'no'} |`,
    `| queue overhead < 10% against \`--jobs\` at the same parallelism | ${pct(r.overhead1)} ` +
      `at 1, ${pct(r.overhead2)} at 2 | ${overhead < 0.1 ? 'yes' : 'no'} |`,
    '',
    `\`mtcnn queue add\` of the ${r.images} paths took ${r.addSeconds.toFixed(1)} s (process start ` +
      `included). Redis memory once a run was done: ${(r.redisBytesPerImage / 1024).toFixed(2)} KB ` +
      `per image (jobs with their results, the run's records, BullMQ's event stream).`,
  ].join('\n');
}
