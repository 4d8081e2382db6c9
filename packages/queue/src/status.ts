// `mtcnn queue status`: where a run stands: images done, jobs by state, workers, throughput, ETA.
import { type Job, Queue } from 'bullmq';
import type { DetectEntry } from './detector.js';
import type { JobFailure } from './process-job.js';
import { connectOnce } from './redis.js';
import { KEY_PREFIX, runKeys, type JobData, type RunOptions } from './run.js';

export interface QueueStatus {
  queue: string;
  /** The run's options (undefined: nothing was ever added). */
  options?: RunOptions;
  /** Images in the run. */
  images: number;
  /** Images of finished jobs (completed or failed), error entries included. */
  done: number;
  /** Of those, error entries. */
  errors: number;
  jobs: { waiting: number; active: number; delayed: number; completed: number; failed: number };
  /** Workers connected to the queue now (undefined: this Redis does not say, see `getWorkersCount`). */
  workers?: number;
  /** Images per second over the most recent completed jobs (undefined: fewer than 2). */
  imagesPerSecond?: number;
  /** Seconds left at that rate (undefined when unknown or nothing is left). */
  etaSeconds?: number;
  /** Failed jobs, with the typed error of their first poison image. */
  failed: (JobFailure & { jobId: string })[];
  /** Jobs in progress (at most 100): which worker (`host:pid`), and the image it is on. */
  active: ActiveJob[];
}

export interface ActiveJob {
  jobId: string;
  /** The worker's name, `host:pid` unless named otherwise. */
  worker?: string;
  images: number;
  /** Images of the job finished before `current`. */
  done: number;
  /** The image being processed (absolute path), once the worker has started one. */
  current?: string;
}

/** What `processJob` reports as the job's progress. */
interface Progress {
  done?: number;
  current?: string;
  worker?: string;
}

/** Jobs in progress, with their workers and current images. */
export async function activeJobs(queue: Queue<JobData>, limit = 100): Promise<ActiveJob[]> {
  const jobs = await queue.getJobs(['active'], 0, limit - 1);
  return jobs.map((j) => {
    const p = (typeof j.progress === 'object' ? j.progress : {}) as Progress;
    // Progress left by a worker that died is stale until the new one reports: not its current image.
    const mine = p.worker === undefined || p.worker === j.processedBy;
    return {
      jobId: j.id!,
      worker: j.processedBy,
      images: j.data.files.length,
      done: mine ? (p.done ?? 0) : 0,
      current: mine ? p.current : undefined,
    };
  });
}

/** Recent completed jobs used for the throughput. */
const RECENT = 100;

function throughput(recent: Job<JobData>[]): number | undefined {
  const done = recent.filter((j) => j.finishedOn !== undefined).sort((a, b) => a.finishedOn! - b.finishedOn!);
  if (done.length < 2) return undefined;
  const seconds = (done[done.length - 1].finishedOn! - done[0].finishedOn!) / 1000;
  // The images finished after the first job's end, over the time they took.
  const images = done.slice(1).reduce((n, j) => n + j.data.files.length, 0);
  return seconds > 0 ? images / seconds : undefined;
}

export async function queueStatus(o: { redis: string; queue: string }): Promise<QueueStatus> {
  const keys = runKeys(o.queue);
  const redis = await connectOnce(o.redis);
  const queue = new Queue<JobData, DetectEntry[]>(o.queue, { connection: redis, prefix: KEY_PREFIX });
  try {
    const [meta, images, stats, counts, workers, recent, failedJobs, active] = await Promise.all([
      redis.hgetall(keys.meta),
      redis.hlen(keys.files),
      redis.hgetall(keys.stats),
      queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'),
      // CLIENT LIST / SETNAME, which some managed Redis services refuse: then the count is unknown.
      queue.getWorkersCount().catch(() => undefined),
      queue.getJobs(['completed'], 0, RECENT - 1, false),
      queue.getJobs(['failed'], 0, -1),
      activeJobs(queue),
    ]);
    // Failed jobs are few (poison images); their images count as done, with their error entries.
    let done = Number(stats.done ?? 0);
    let errors = Number(stats.errors ?? 0);
    const failed: QueueStatus['failed'] = [];
    for (const job of failedJobs) {
      const partial = await redis.hgetall(keys.partial(job.id!));
      done += job.data.files.length;
      for (const [field, value] of Object.entries(partial)) {
        if (field.startsWith('e:') && 'error' in (JSON.parse(value) as DetectEntry)) errors++;
      }
      const failure = partial.failure
        ? (JSON.parse(partial.failure) as JobFailure)
        : { file: '', code: 'JOB_FAILED', message: job.failedReason, images: 0 };
      failed.push({ jobId: job.id!, ...failure });
    }
    const rate = throughput(recent);
    const left = Math.max(0, images - done);
    return {
      queue: o.queue,
      options: meta.options ? (JSON.parse(meta.options) as RunOptions) : undefined,
      images,
      done: Math.min(done, images),
      errors,
      jobs: {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      },
      workers,
      imagesPerSecond: rate,
      etaSeconds: rate && left > 0 ? left / rate : undefined,
      failed,
      active,
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The status as a few lines for people. */
export function formatStatus(s: QueueStatus): string {
  if (!s.options) return `queue ${s.queue}: empty (nothing added yet)\n`;
  const pct = s.images ? ((100 * s.done) / s.images).toFixed(1) : '0.0';
  const j = s.jobs;
  const lines = [
    `queue ${s.queue}: ${s.done} / ${s.images} images done (${pct}%), ${s.errors} errors`,
    `jobs: ${j.waiting} waiting, ${j.active} active, ${j.delayed} ` +
      `delayed (retry), ${j.completed} completed, ${j.failed} failed`,
    `workers: ${s.workers ?? 'unknown (this Redis refuses CLIENT LIST)'}`,
    'throughput: ' +
      (s.imagesPerSecond ? `${s.imagesPerSecond.toFixed(1)} images/s (last ${RECENT} jobs)` : 'not known yet') +
      (s.etaSeconds !== undefined ? `, ETA ${duration(s.etaSeconds)}` : s.done >= s.images ? ', finished' : ''),
  ];
  for (const a of s.active.slice(0, 10))
    lines.push(
      `active job ${a.jobId} on ${a.worker ?? '?'}: image ${a.done + 1} ` +
        `of ${a.images}${a.current ? ` (${a.current})` : ''}`,
    );
  for (const f of s.failed.slice(0, 10)) lines.push(`failed job ${f.jobId}: ${f.code}: ${f.file}: ${f.message}`);
  if (s.failed.length > 10) lines.push(`... and ${s.failed.length - 10} more failed jobs`);
  return `${lines.join('\n')}\n`;
}
