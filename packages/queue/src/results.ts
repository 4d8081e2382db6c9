// `mtcnn queue results`: every image of the run once, in input order, from the jobs' return
// values (and, for jobs not finished or failed, the images they finished so far).
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DetectEntry } from './detector.js';
import { connectOnce } from './redis.js';
import { KEY_PREFIX, runKeys, type JobData, type RunKeys } from './run.js';

export interface ResultsSummary {
  /** Images in the run. */
  images: number;
  /** Entries written (results and error entries). */
  written: number;
  /** Of those, error entries. */
  errors: number;
  /** Images without a result yet (queued, or in progress). */
  pending: number;
  /** The first pending images (at most 20), to name them. */
  pendingFiles: string[];
  /**
   * Jobs of the run gone from Redis (removed by hand, or Redis restarted without its data): their images are unknown.
   */
  missingJobs: number;
}

const PAGE = 200;

/** Entries a job has: its return value once completed, else what its attempts saved image by image. */
async function entriesOf(
  redis: Redis,
  keys: RunKeys,
  job: Job<JobData, DetectEntry[]>,
): Promise<(DetectEntry | undefined)[]> {
  if (Array.isArray(job.returnvalue) && job.returnvalue.length === job.data.files.length) return job.returnvalue;
  const saved = await redis.hgetall(keys.partial(job.id!));
  return job.data.files.map((_, k) => (saved[`e:${k}`] ? (JSON.parse(saved[`e:${k}`]) as DetectEntry) : undefined));
}

/**
 * Call `write` with each image's entry in input order; images not done yet are counted (and
 * the first named) in the summary, never invented. Safe while workers run: it reads, never writes.
 */
export async function readResults(
  o: { redis: string; queue: string },
  write: (entry: DetectEntry) => void,
): Promise<ResultsSummary> {
  const keys = runKeys(o.queue);
  const redis = await connectOnce(o.redis);
  const queue = new Queue<JobData, DetectEntry[]>(o.queue, { connection: redis, prefix: KEY_PREFIX });
  const summary: ResultsSummary = { images: 0, written: 0, errors: 0, pending: 0, pendingFiles: [], missingJobs: 0 };
  // Two `add`s racing on the same images can record a job twice, or queue an image in two jobs:
  // each job is read once, and an image only from the job the run's file index names.
  const seen = new Set<string>();
  try {
    const count = await redis.llen(keys.jobs);
    for (let start = 0; start < count; start += PAGE) {
      const ids = (await redis.lrange(keys.jobs, start, start + PAGE - 1)).filter((id) => !seen.has(id));
      for (const id of ids) seen.add(id);
      const jobs = await Promise.all(
        ids.map((id) => queue.getJob(id) as Promise<Job<JobData, DetectEntry[]> | undefined>),
      );
      const entries = await Promise.all(jobs.map((job) => (job ? entriesOf(redis, keys, job) : undefined)));
      const owners = await Promise.all(jobs.map((job) => (job ? redis.hmget(keys.files, ...job.data.files) : [])));
      for (let j = 0; j < ids.length; j++) {
        const job = jobs[j];
        if (!job) {
          summary.missingJobs++;
          continue;
        }
        job.data.files.forEach((file, k) => {
          if (owners[j][k] !== ids[j]) return;
          summary.images++;
          const entry = entries[j]?.[k];
          if (!entry) {
            summary.pending++;
            if (summary.pendingFiles.length < 20) summary.pendingFiles.push(file);
            return;
          }
          write(entry);
          summary.written++;
          if ('error' in entry) summary.errors++;
        });
      }
    }
    return summary;
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
