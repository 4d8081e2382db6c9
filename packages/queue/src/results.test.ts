// Results in input order, from completed jobs and from failed ones, never invented for pending images.
import { existsSync } from 'node:fs';
import { MtcnnError } from '@mtcnn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addImages } from './add.js';
import { type DetectEntry, type FileDetector, poolDetector } from './detector.js';
import { fddbAvailable, fddbDev, SHARED_DIR, waitFor } from './fixtures.test-util.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { readResults } from './results.js';
import type { RunOptions } from './run.js';
import { queueStatus } from './status.js';
import { startQueueWorker } from './worker.js';

const RUN: RunOptions = { backend: 'onnx', detector: {}, autoOrient: true, stats: true, attempts: 2 };
const TRUNCATED = `${SHARED_DIR}images/public/truncated.jpg`;
const MISSING = `${SHARED_DIR}images/public/no-such-image.jpg`;

async function results(o: { redis: string; queue: string }) {
  const entries: DetectEntry[] = [];
  const summary = await readResults(o, (e) => entries.push(e));
  return { entries, summary };
}

describe.skipIf(!fddbAvailable || !existsSync(TRUNCATED))('readResults', () => {
  let server: RedisServer;
  const real = poolDetector(1);
  // Bad images in the middle: a truncated JPEG and a path that does not exist.
  const files = [...fddbDev(10), TRUNCATED, MISSING, ...fddbDev(20).slice(10)];
  let expected: DetectEntry[];

  beforeAll(async () => {
    server = await startRedisServer();
    expected = [];
    for (const f of files) expected.push(await real.detect(f, RUN));
  });
  afterAll(async () => {
    await real.close();
    await server.stop();
  });

  it('names pending images before any work, invents nothing, and then gives every entry in input order', async () => {
    const o = { redis: server.url, queue: 'order' };
    await addImages(files, { ...o, chunk: 5, run: RUN });
    const before = await results(o);
    expect(before.entries).toEqual([]);
    expect(before.summary).toEqual({
      images: 22,
      written: 0,
      errors: 0,
      pending: 22,
      pendingFiles: files.slice(0, 20),
      missingJobs: 0,
    });

    const worker = await startQueueWorker({ ...o, detector: poolDetector(2), concurrency: 2 });
    await waitFor('the run to finish', async () => {
      const s = await queueStatus(o);
      return s.done === s.images ? s : undefined;
    });
    await worker.close();
    const after = await results(o);
    expect(after.entries).toEqual(expected);
    expect(after.entries[10]).toMatchObject({ file: TRUNCATED, error: { code: 'DECODE_FAILED' } });
    expect(after.entries[11]).toMatchObject({ file: MISSING, error: { code: 'DECODE_FAILED' } });
    expect(after.summary).toMatchObject({ images: 22, written: 22, errors: 2, pending: 0, missingJobs: 0 });
  });

  it("includes a failed job's images: the poison one as its error entry, the others as results", async () => {
    const o = { redis: server.url, queue: 'poison' };
    await addImages(files, { ...o, chunk: 5, run: RUN });
    const poison = files[6];
    const detector: FileDetector = {
      detect: (file, options) =>
        file === poison ? Promise.reject(new MtcnnError('BACKEND_FAILED', 'boom')) : real.detect(file, options),
      close: async () => {},
    };
    const worker = await startQueueWorker({ ...o, detector });
    const status = await waitFor('the run to finish', async () => {
      const s = await queueStatus(o);
      return s.done === s.images ? s : undefined;
    });
    await worker.close();
    expect(status.jobs).toMatchObject({ completed: 4, failed: 1 });
    expect(status.failed).toEqual([expect.objectContaining({ file: poison, code: 'BACKEND_FAILED', images: 1 })]);
    const { entries, summary } = await results(o);
    expect(entries.map((e) => e.file)).toEqual(files);
    expect(entries[6]).toEqual({
      file: poison,
      error: { code: 'BACKEND_FAILED', message: 'boom (given up after 2 tries)' },
    });
    entries.forEach((e, k) => {
      if (k !== 6) expect(e).toEqual(expected[k]);
    });
    expect(summary).toMatchObject({ written: 22, errors: 3, pending: 0 });
  });
});
