// `mtcnn queue clear`: remove a run from Redis: its jobs (results included) and its own keys.
import { Queue } from 'bullmq';
import { connectOnce } from './redis.js';
import { KEY_PREFIX, runKeys } from './run.js';

/** Delete every job of `o.queue` (in progress too: their workers' next write fails) and the run's records. */
export async function clearQueue(o: { redis: string; queue: string }): Promise<void> {
  const keys = runKeys(o.queue);
  const redis = await connectOnce(o.redis);
  const queue = new Queue(o.queue, { connection: redis, prefix: KEY_PREFIX });
  try {
    await queue.obliterate({ force: true });
    await redis.del(keys.meta, keys.files, keys.jobs, keys.stats);
    // Per-job records of unfinished or failed jobs.
    const pattern = keys.partial('*');
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (found.length > 0) await redis.del(...found);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
