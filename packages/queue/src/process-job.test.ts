// One job's images, tries and poison handling, on a real Redis with the real detector. Failures of
// the detector are thrown by a wrapper (a dead worker thread or a failed runtime cannot be made to
// happen on one chosen image); the crash of a whole worker process is tested end to end in the CLI.
import { MtcnnError } from '@mtcnn/core';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DetectEntry, type FileDetector, poolDetector } from './detector.js';
import { fddbAvailable, fddbDev } from './fixtures.test-util.js';
import { processJob } from './process-job.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { JOB_NAME, jobIdOf, KEY_PREFIX, runKeys, type JobData, type RunOptions } from './run.js';

const RUN: RunOptions = { backend: 'onnx', detector: {}, autoOrient: true, stats: false, attempts: 2 };

describe.skipIf(!fddbAvailable)('processJob', () => {
  let server: RedisServer;
  let redis: Redis;
  let queue: Queue<JobData>;
  const real = poolDetector(1);
  const files = fddbDev(4);
  const expected = new Map<string, DetectEntry>();

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    queue = new Queue<JobData>('jobs', { connection: redis, prefix: KEY_PREFIX });
    for (const f of files) expected.set(f, await real.detect(f, RUN));
  });
  afterAll(async () => {
    await real.close();
    await queue.close();
    redis.disconnect();
    await server.stop();
  });

  /** A fresh job of `files` (a unique id per test), as a worker would receive it. */
  let n = 0;
  async function newJob(): Promise<Job<JobData>> {
    const id = jobIdOf([...files, String(n++)]);
    await queue.add(JOB_NAME, { files, options: RUN }, { jobId: id });
    return (await Job.fromId<JobData>(queue, id))!;
  }

  /** The real detector, except that `failing` throws `code` for its first `times` calls (Infinity: always). */
  function flaky(failing: string, code: 'BACKEND_FAILED' | 'DISPOSED', times: number, calls: string[]): FileDetector {
    let failed = 0;
    return {
      async detect(file, o) {
        calls.push(file);
        if (file === failing && failed < times) {
          failed++;
          throw new MtcnnError(code, `runtime failed on ${file}`);
        }
        return real.detect(file, o);
      },
      close: async () => {},
    };
  }

  const ctx = (detector: FileDetector, log: string[] = []) => ({
    redis,
    keys: runKeys('jobs'),
    detector,
    log: (l: string) => log.push(l),
  });

  it("gives each image's entry, in the job's order, equal to detecting it directly", async () => {
    const job = await newJob();
    const entries = await processJob(job, ctx(real));
    expect(entries).toEqual(files.map((f) => expected.get(f)));
  });

  it('tries an image again after a failure of the detector, and succeeds', async () => {
    const calls: string[] = [];
    const log: string[] = [];
    const entries = await processJob(await newJob(), ctx(flaky(files[1], 'BACKEND_FAILED', 1, calls), log));
    expect(entries).toEqual(files.map((f) => expected.get(f)));
    expect(calls.filter((f) => f === files[1])).toHaveLength(2);
    expect(log).toEqual([`${files[1]}: BACKEND_FAILED: runtime failed on ${files[1]} (try 1 of 2)`]);
  });

  it(
    'gives a poison image up after its tries, finishes the ' + 'others, and fails the job with the typed error',
    async () => {
      const job = await newJob();
      const calls: string[] = [];
      const error = await processJob(job, ctx(flaky(files[1], 'BACKEND_FAILED', Infinity, calls))).catch(
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(UnrecoverableError); // no BullMQ retries on top of the image's tries
      expect((error as Error).message).toBe(
        `BACKEND_FAILED: ${files[1]}: runtime failed on ${files[1]} (given up after 2 tries)`,
      );
      expect(calls.filter((f) => f === files[1])).toHaveLength(2);
      // The others were done, and every entry is kept for `queue results`, the poison as an error entry.
      const saved = await redis.hgetall(runKeys('jobs').partial(job.id!));
      const entries = files.map((_, k) => JSON.parse(saved[`e:${k}`]) as DetectEntry);
      expect(entries[1]).toEqual({
        file: files[1],
        error: { code: 'BACKEND_FAILED', message: `runtime failed on ${files[1]} (given up after 2 tries)` },
      });
      for (const k of [0, 2, 3]) expect(entries[k]).toEqual(expected.get(files[k]));
      expect(JSON.parse(saved.failure)).toEqual({
        file: files[1],
        ...(entries[1] as { error: object }).error,
        images: 1,
      });
    },
  );

  it(
    'takes a job over where a dead worker left it: finished ' + 'images are not redone, the one in flight costs a try',
    async () => {
      const job = await newJob();
      const key = runKeys('jobs').partial(job.id!);
      // What a worker killed during image 1 leaves: image 0 done, image 1 started once, no outcome.
      await redis.hset(key, 'e:0', JSON.stringify(expected.get(files[0])), 't:1', '1');
      const calls: string[] = [];
      const entries = await processJob(job, ctx(flaky('', 'BACKEND_FAILED', 0, calls)));
      expect(calls).toEqual(files.slice(1));
      expect(entries).toEqual(files.map((f) => expected.get(f)));
      expect(await redis.hget(key, 't:1')).toBe('2');
    },
  );

  it('gives up an image that killed its worker on every try, without trying it again', async () => {
    const job = await newJob();
    await redis.hset(runKeys('jobs').partial(job.id!), 't:2', '2'); // two tries started, both died
    const calls: string[] = [];
    await expect(processJob(job, ctx(flaky('', 'BACKEND_FAILED', 0, calls)))).rejects.toThrow(
      `WORKER_CRASHED: ${files[2]}: The worker processing this image died. (given up after 2 tries)`,
    );
    expect(calls).toEqual([files[0], files[1], files[3]]);
  });

  it('reports its progress: the image it is on', async () => {
    const job = await newJob();
    await processJob(job, { ...ctx(real), worker: 'w7' });
    expect(job.progress).toEqual({ done: 3, images: 4, current: files[3], worker: 'w7' });
  });
});
