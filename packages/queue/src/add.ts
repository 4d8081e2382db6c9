// `mtcnn queue add`: a list of images becomes jobs of `chunk` images on the queue, once.
import { isAbsolute } from 'node:path';
import { MtcnnError, resolveOptions } from '@mtcnn/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectOnce } from './redis.js';
import {
  canonicalJson,
  chunk as chunked,
  DEFAULT_CHUNK,
  JOB_NAME,
  jobIdOf,
  KEY_PREFIX,
  runKeys,
  type JobData,
  type RunOptions,
} from './run.js';

export interface AddOptions {
  redis: string;
  queue: string;
  /**
   * Images per job (default 16): fewer round trips and lock renewals than one per image, less redone after a crash than
   * big ones.
   */
  chunk?: number;
  run: RunOptions;
}

export interface AddResult {
  /** Distinct images in the list. */
  images: number;
  /** Of those, queued now. */
  added: number;
  /** Of those, already in the run (an earlier `add`): not queued again. */
  known: number;
  /** New jobs. */
  jobs: number;
  /** Images of the whole run, this list included. */
  total: number;
}

// Redis round trips in batches: a list of millions stays a few thousand commands.
const LOOKUP_BATCH = 1000;
const JOB_BATCH = 64;

/** The run's options, stored by the first `add`; a later `add` with other options is refused. */
async function claimRunOptions(redis: Redis, queue: string, run: RunOptions): Promise<void> {
  const keys = runKeys(queue);
  const mine = canonicalJson(run);
  await redis.hsetnx(keys.meta, 'options', mine);
  await redis.hsetnx(keys.meta, 'created', String(Date.now()));
  const stored = await redis.hget(keys.meta, 'options');
  if (stored !== mine)
    throw new MtcnnError(
      'INVALID_OPTION',
      `Queue ${queue} already holds a run with other options (${stored}); these ` +
        `are ${mine}. Use another --queue, or \`mtcnn queue clear\` it first.`,
    );
}

/**
 * Queue `files` (absolute paths, as every worker sees them) on `o.queue`. Images already in the
 * run are skipped, so adding the same list twice (or a directory again after new files arrived)
 * queues each image once. The input order is kept for `results`.
 */
export async function addImages(files: readonly string[], o: AddOptions): Promise<AddResult> {
  resolveOptions(o.run.detector); // bad options fail here, not in every worker
  if (!Number.isInteger(o.run.attempts) || o.run.attempts < 1)
    throw new MtcnnError('INVALID_OPTION', `--attempts must be a whole number >= 1, got ${o.run.attempts}.`);
  for (const f of files) {
    if (!isAbsolute(f)) throw new MtcnnError('INVALID_OPTION', `queue paths must be absolute (got ${f}).`);
  }
  const keys = runKeys(o.queue);
  const unique = [...new Set(files)];
  const redis = await connectOnce(o.redis);
  const queue = new Queue<JobData>(o.queue, { connection: redis, prefix: KEY_PREFIX });
  try {
    await claimRunOptions(redis, o.queue, o.run);
    // Which images the run does not have yet, in input order.
    const fresh: string[] = [];
    for (let i = 0; i < unique.length; i += LOOKUP_BATCH) {
      const part = unique.slice(i, i + LOOKUP_BATCH);
      const owners = await redis.hmget(keys.files, ...part);
      part.forEach((f, k) => {
        if (owners[k] === null) fresh.push(f);
      });
    }
    const chunks = chunked(fresh, o.chunk ?? DEFAULT_CHUNK);
    for (let i = 0; i < chunks.length; i += JOB_BATCH) {
      const batch = chunks.slice(i, i + JOB_BATCH).map((files) => ({ id: jobIdOf(files), files }));
      // Jobs first, then the record of them: a crash in between leaves jobs that the next `add`
      // of the same list finds again (same chunks, same ids: BullMQ keeps the existing job).
      await queue.addBulk(
        batch.map((b) => ({
          name: JOB_NAME,
          data: { files: b.files, options: o.run },
          opts: {
            jobId: b.id,
            // Retries for failures outside the images (e.g. Redis lost mid-job); an image that
            // fails is retried by the worker itself and never fails the job before its attempts.
            attempts: 3,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: false, // the result lives with the job until `queue clear`
            removeOnFail: false,
          },
        })),
      );
      const record = redis.multi();
      record.rpush(keys.jobs, ...batch.map((b) => b.id));
      for (const b of batch) record.hset(keys.files, Object.fromEntries(b.files.map((f) => [f, b.id])));
      await record.exec();
    }
    const total = await redis.hlen(keys.files);
    return {
      images: unique.length,
      added: fresh.length,
      known: unique.length - fresh.length,
      jobs: chunks.length,
      total,
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
