// `mtcnn queue work`: a BullMQ worker taking jobs of a run, on any machine that sees the same paths.
import { hostname } from 'node:os';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { DetectEntry, FileDetector } from './detector.js';
import { processJob } from './process-job.js';
import { safeUrl, workerRedisOptions } from './redis.js';
import { KEY_PREFIX, runKeys, type JobData } from './run.js';

/** BullMQ's defaults: a SIGKILLed worker's job is taken over within about lockDuration + stalledInterval. */
export const DEFAULT_LOCK_MS = 30_000;
export const DEFAULT_STALLED_MS = 30_000;

export interface QueueWorkerOptions {
  redis: string;
  queue: string;
  /** Jobs in progress at once (default 1). */
  concurrency?: number;
  /** Overrides the run's backend. */
  backend?: string;
  /**
   * How long a job's lock lasts without renewal (renewed every half of it while the worker lives).
   * Shorter: a dead worker's job is taken over sooner; too short for a worker whose event loop is
   * held up (an overloaded machine): its live job is taken over too and done twice (same result).
   */
  lockDuration?: number;
  /** How often workers look for jobs whose lock expired (BullMQ's stalled-job check). */
  stalledInterval?: number;
  /**
   * How often a job may be taken over before BullMQ fails it. A backstop only: each take-over
   * charges a try to the image in flight, and images have `attempts` tries (`queue add`).
   */
  maxStalledCount?: number;
  detector: FileDetector;
  /** Progress (`info`) and problems (`problem`: Redis away, failures, take-overs), one line each. */
  log?: (line: string, kind: 'info' | 'problem') => void;
  /** Stored on every job it processes (`processedBy`); default `host:pid`. */
  name?: string;
  /**
   * Close by itself once the run is finished: it has images, and no job is waiting, delayed or in
   * progress (anyone's: until then a dead worker's job could still come back). For batch clusters.
   */
  untilDone?: boolean;
}

export interface QueueWorker {
  readonly name: string;
  /** Stop taking jobs, finish the ones in progress (`force`: abandon them), free the detectors. */
  close(force?: boolean): Promise<void>;
  /** Settles once the worker is closed (by `close()`, or by itself with `untilDone`). */
  readonly closed: Promise<void>;
}

/** Start a worker on `o.queue`; it runs until `close()`. */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  const info = (line: string): void => o.log?.(line, 'info');
  const problem = (line: string): void => o.log?.(line, 'problem');
  const name = o.name ?? `${hostname()}:${process.pid}`;
  const keys = runKeys(o.queue);
  // A connection of our own for the per-image records; like BullMQ's, it waits through a Redis restart.
  const redis = new Redis(workerRedisOptions(o.redis));
  let lastRedisError = '';
  const redisError = (e: Error): void => {
    // One line per distinct problem, not one per retry.
    if (e.message !== lastRedisError) problem(`Redis at ${safeUrl(o.redis)}: ${e.message} (retrying)`);
    lastRedisError = e.message;
  };
  redis.on('error', redisError);
  redis.on('ready', () => {
    if (lastRedisError) problem(`Redis at ${safeUrl(o.redis)}: connected again`);
    lastRedisError = '';
  });

  const worker = new Worker<JobData, DetectEntry[]>(
    o.queue,
    async (job) => {
      const t0 = performance.now();
      const entries = await processJob(job, {
        redis,
        keys,
        detector: o.detector,
        backend: o.backend,
        log: problem,
        worker: name,
      });
      const errors = entries.filter((e) => 'error' in e).length;
      info(
        `job ${job.id}: ${entries.length} images${errors ? ` (${errors} errors)` : ''} ` +
          `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      return entries;
    },
    {
      connection: workerRedisOptions(o.redis),
      prefix: KEY_PREFIX,
      name,
      concurrency: o.concurrency ?? 1,
      lockDuration: o.lockDuration ?? DEFAULT_LOCK_MS,
      stalledInterval: o.stalledInterval ?? DEFAULT_STALLED_MS,
      maxStalledCount: o.maxStalledCount ?? 10,
    },
  );
  worker.on('completed', (job, entries) => {
    const errors = entries.filter((e) => 'error' in e).length;
    // Counters for `queue status`, then the per-image records: the result is the job's return value now.
    void redis
      .multi()
      .hincrby(keys.stats, 'done', entries.length)
      .hincrby(keys.stats, 'errors', errors)
      .del(keys.partial(job.id!))
      .exec()
      .catch(redisError);
  });
  worker.on('failed', (job, e) => problem(`job ${job?.id ?? '?'} failed: ${e.message}`));
  worker.on('stalled', (jobId) =>
    problem(`job ${jobId} stalled (its worker stopped renewing its lock): back in the queue`),
  );
  worker.on('error', (e) => problem(`worker: ${e.message}`));
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  let doneTimer: NodeJS.Timeout | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const close = (force = false): Promise<void> => {
    clearInterval(doneTimer);
    closing ??= (async () => {
      await worker.close(force);
      await o.detector.close();
      await redis.quit().catch(() => redis.disconnect());
      resolveClosed();
    })();
    return closing;
  };
  if (o.untilDone) {
    const queue = new Queue(o.queue, { connection: redis, prefix: KEY_PREFIX });
    let checking = false;
    doneTimer = setInterval(() => {
      if (checking) return;
      checking = true;
      void Promise.all([redis.hlen(keys.files), queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active')])
        .then(([images, counts]) => {
          const left = Object.values(counts).reduce((n, c) => n + c, 0);
          if (images > 0 && left === 0) {
            info('the run is finished: closing');
            void close();
          }
        })
        .catch(() => {}) // Redis away: ask again next time
        .finally(() => (checking = false));
    }, 250);
  }
  return { name, close, closed };
}
