// Adding is idempotent per image, against a real Redis. No image is read here: paths are data.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addImages } from './add.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { KEY_PREFIX, runKeys, type RunOptions } from './run.js';

const RUN: RunOptions = { backend: 'onnx', detector: {}, autoOrient: true, stats: false, attempts: 3 };
const paths = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `/photos/img_${String(from + i).padStart(4, '0')}.jpg`);

describe('addImages', () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  async function jobCount(queue: string): Promise<number> {
    const q = new Queue(queue, { connection: redis, prefix: KEY_PREFIX });
    const counts = await q.getJobCounts('waiting');
    await q.close();
    return counts.waiting;
  }

  it('queues a list in chunks and, added twice, queues nothing the second time', async () => {
    const o = { redis: server.url, queue: 'twice', chunk: 16, run: RUN };
    const first = await addImages(paths(0, 40), o);
    expect(first).toEqual({ images: 40, added: 40, known: 0, jobs: 3, total: 40 });
    const second = await addImages(paths(0, 40), o);
    expect(second).toEqual({ images: 40, added: 0, known: 40, jobs: 0, total: 40 });
    expect(await jobCount('twice')).toBe(3);
    expect(await redis.llen(runKeys('twice').jobs)).toBe(3);
  });

  it('queues only the new images of a list that overlaps an earlier one, each in one job', async () => {
    const o = { redis: server.url, queue: 'overlap', chunk: 16, run: RUN };
    await addImages(paths(0, 20), o);
    // A directory added again after new files arrived: old and new interleaved.
    const r = await addImages([...paths(10, 30), ...paths(0, 10)], o);
    expect(r).toMatchObject({ images: 30, added: 10, known: 20, total: 30 });
    const owners = await redis.hgetall(runKeys('overlap').files);
    expect(Object.keys(owners).sort()).toEqual(paths(0, 30));
    const q = new Queue('overlap', { connection: redis, prefix: KEY_PREFIX });
    const jobs = await q.getJobs(['waiting']);
    await q.close();
    const queued = jobs.flatMap((j) => j.data.files as string[]);
    expect(queued.sort()).toEqual(paths(0, 30)); // every image in exactly one job
  });

  it('after a crash between queueing jobs and recording them, adding again finds the same jobs', async () => {
    const o = { redis: server.url, queue: 'crash', chunk: 8, run: RUN };
    await addImages(paths(0, 20), o);
    const keys = runKeys('crash');
    const before = await redis.lrange(keys.jobs, 0, -1);
    await redis.del(keys.files, keys.jobs); // as if the add died after BullMQ's addBulk
    const again = await addImages(paths(0, 20), o);
    expect(again.added).toBe(20);
    expect(await redis.lrange(keys.jobs, 0, -1)).toEqual(before); // same chunks, same ids
    expect(await jobCount('crash')).toBe(3); // BullMQ kept the existing jobs: nothing twice
  });

  it('refuses other detector options for a run that has some', async () => {
    const o = { redis: server.url, queue: 'options', chunk: 16, run: RUN };
    await addImages(paths(0, 2), o);
    await expect(
      addImages(paths(2, 4), { ...o, run: { ...RUN, detector: { minFaceSize: 40 } } }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('other options') });
  });

  it('refuses bad detector options and relative paths before touching Redis', async () => {
    const o = { redis: 'redis://127.0.0.1:1', queue: 'bad', chunk: 16 };
    await expect(addImages(paths(0, 1), { ...o, run: { ...RUN, detector: { minFaceSize: 3 } } })).rejects.toMatchObject(
      {
        code: 'INVALID_OPTION',
      },
    );
    await expect(addImages(['photos/a.jpg'], { ...o, run: RUN })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('absolute'),
    });
  });
});
