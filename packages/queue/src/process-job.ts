// One job (a chunk of images) on a worker: image by image, each result saved in Redis as soon as
// it exists, so that a job taken over after a crash redoes only the image that was in flight.
import { isMtcnnError } from '@mtcnn/core';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DetectEntry, FileDetector } from './detector.js';
import type { JobData, RunKeys } from './run.js';

/** What a failed (poison) job stores beside its images' entries: the first image given up, typed. */
export interface JobFailure {
  file: string;
  code: string;
  message: string;
  /** Images of the job given up (each also an `error` entry among the results). */
  images: number;
}

export interface ProcessContext {
  redis: Redis;
  keys: RunKeys;
  detector: FileDetector;
  /** The worker's `--backend`, overriding the run's (every backend gives the same faces). */
  backend?: string;
  log: (line: string) => void;
  /** This worker's name, in the job's progress beside the image it is on. */
  worker?: string;
}

/** `{ code, message }` of what the detector threw. */
function errorOf(e: unknown): { code: string; message: string } {
  if (isMtcnnError(e)) return { code: e.code, message: e.message };
  return { code: 'INTERNAL_ERROR', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

/**
 * The entries of `job`'s images, in its order. Each image gets `attempts` tries: a try is counted
 * in Redis before it starts, so a try that killed the whole worker (SIGKILL, out of memory, a native
 * crash) counts too, when another worker takes the job over (BullMQ's stalled-job check). An image
 * whose tries are used up becomes an error entry (its last error, or `WORKER_CRASHED`), the rest
 * of the job goes on, and the job then fails with that typed error: a poison image never holds
 * back its neighbours, and never loops for ever.
 */
export async function processJob(job: Job<JobData>, ctx: ProcessContext): Promise<DetectEntry[]> {
  const { files } = job.data;
  const options = ctx.backend ? { ...job.data.options, backend: ctx.backend } : job.data.options;
  const attempts = options.attempts;
  const key = ctx.keys.partial(job.id!);
  const saved = await ctx.redis.hgetall(key);
  const entries: (DetectEntry | undefined)[] = files.map((_, k) =>
    saved[`e:${k}`] ? (JSON.parse(saved[`e:${k}`]) as DetectEntry) : undefined,
  );
  const givenUp: JobFailure[] = [];
  // The last entry, written with the next try's count in one round trip (the detector waits for
  // each write); a crash before that write redoes the image, as a crash during it would.
  let unsaved: Record<string, string> = {};
  const write = async (fields: Record<string, string>, drop?: string): Promise<void> => {
    const m = ctx.redis.multi().hset(key, { ...unsaved, ...fields });
    if (drop) m.hdel(key, drop);
    await m.exec();
    unsaved = {};
  };

  for (let k = 0; k < files.length; k++) {
    if (entries[k]) continue;
    const file = files[k];
    let tries = Number(saved[`t:${k}`] ?? 0);
    let last = saved[`x:${k}`] ? (JSON.parse(saved[`x:${k}`]) as { code: string; message: string }) : undefined;
    // A try was started and neither finished nor failed: the worker running it died.
    if (tries > 0 && !last) last = { code: 'WORKER_CRASHED', message: 'The worker processing this image died.' };
    while (!entries[k]) {
      if (tries >= attempts) {
        const error = {
          code: last?.code ?? 'WORKER_CRASHED',
          message: `${last?.message ?? 'The worker processing this image died.'} (given up after ${tries} tries)`,
        };
        entries[k] = { file, error };
        await write({ [`e:${k}`]: JSON.stringify(entries[k]) });
        givenUp.push({ file, ...error, images: 0 });
        ctx.log(`${file}: ${error.code}: ${error.message}`);
        break;
      }
      tries++;
      // Counted before the try, cleared of its last error: if this process dies now, the next
      // worker sees a try with no outcome.
      await write({ [`t:${k}`]: String(tries) }, `x:${k}`);
      // For `queue status` (and whoever watches the run): which image the job is on. Not waited
      // for: it is after the count on the same connection, and only informs.
      job.updateProgress({ done: k, images: files.length, current: file, worker: ctx.worker }).catch(() => {});
      try {
        const entry = await ctx.detector.detect(file, options);
        entries[k] = entry;
        unsaved = { [`e:${k}`]: JSON.stringify(entry) };
      } catch (e) {
        last = errorOf(e);
        await write({ [`x:${k}`]: JSON.stringify(last) });
        ctx.log(`${file}: ${last.code}: ${last.message} (try ${tries} of ${attempts})`);
      }
    }
  }

  if (givenUp.length > 0) {
    const failure: JobFailure = { ...givenUp[0], images: givenUp.length };
    await write({ failure: JSON.stringify(failure) });
    // Unrecoverable: the tries were the image's; BullMQ's own retries would only redo them.
    throw new UnrecoverableError(
      `${failure.code}: ${failure.file}: ${failure.message}` +
        `${givenUp.length > 1 ? ` (and ${givenUp.length - 1} more)` : ''}`,
    );
  }
  if (Object.keys(unsaved).length > 0) await write({});
  return entries as DetectEntry[];
}
