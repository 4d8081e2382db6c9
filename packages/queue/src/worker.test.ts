// A worker in this process, on a real Redis: what it stores, what close() finishes.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addImages } from './add.js';
import { type FileDetector, poolDetector } from './detector.js';
import { fddbAvailable, fddbDev, waitFor } from './fixtures.test-util.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { KEY_PREFIX, runKeys, type RunOptions } from './run.js';
import { activeJobs, queueStatus } from './status.js';
import { startQueueWorker } from './worker.js';

const RUN: RunOptions = { backend: 'onnx', detector: {}, autoOrient: true, stats: false, attempts: 3 };

/** The real detector, holding `file` until `release()`: a job caught in progress, at a known image. */
function gated(file: string, real: FileDetector): FileDetector & { release: () => void; reached: Promise<void> } {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const arrived = new Promise<void>((r) => (reached = r));
  return {
    async detect(f, o) {
      if (f === file) {
        reached();
        await gate;
      }
      return real.detect(f, o);
    },
    close: () => real.close(),
    release,
    reached: arrived,
  };
}

describe.skipIf(!fddbAvailable)('startQueueWorker', () => {
  let server: RedisServer;
  let redis: Redis;
  const files = fddbDev(12);
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('close() finishes the job in progress and takes no other', async () => {
    const o = { redis: server.url, queue: 'close' };
    await addImages(files, { ...o, chunk: 4, run: RUN });
    const detector = gated(files[1], poolDetector(1));
    const worker = await startQueueWorker({ ...o, detector, name: 'w1' });
    await detector.reached;
    const q = new Queue(o.queue, { connection: redis, prefix: KEY_PREFIX });
    const [active] = await activeJobs(q);
    expect(active).toMatchObject({ worker: 'w1', images: 4, done: 1, current: files[1] });
    const closed = worker.close();
    detector.release();
    await closed;
    expect(await q.getJobState(active.jobId)).toBe('completed');
    expect(await q.getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 2, active: 0, completed: 1 });
    expect((await queueStatus(o)).workers).toBe(0);
    await q.close();
  });

  it('with untilDone, closes by itself once the run is finished, and not before anything was added', async () => {
    const o = { redis: server.url, queue: 'until-done' };
    const worker = await startQueueWorker({ ...o, detector: poolDetector(1), untilDone: true });
    let closed = false;
    void worker.closed.then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 1000)); // four checks of an empty run
    expect(closed).toBe(false);
    await addImages(files.slice(0, 6), { ...o, chunk: 4, run: RUN });
    await worker.closed;
    expect(await queueStatus(o)).toMatchObject({ images: 6, done: 6, workers: 0 });
  });

  it('keeps counters for status and drops the per-image records of completed jobs', async () => {
    const o = { redis: server.url, queue: 'counters' };
    await addImages(files, { ...o, chunk: 4, run: RUN });
    const worker = await startQueueWorker({ ...o, detector: poolDetector(1) });
    const status = await waitFor('the run to finish', async () => {
      const s = await queueStatus(o);
      return s.done === s.images ? s : undefined;
    });
    expect(status).toMatchObject({ images: 12, done: 12, errors: 0, workers: 1, etaSeconds: undefined });
    expect(status.imagesPerSecond).toBeGreaterThan(0);
    await worker.close();
    expect(await redis.keys(runKeys(o.queue).partial('*'))).toEqual([]);
  });
});
