// Connections to the one Redis every machine of a run shares (ioredis, which BullMQ drives).
import { MtcnnError } from '@mtcnn/core';
import { Redis, type RedisOptions } from 'ioredis';

/** ioredis options from `redis://[user:password@]host[:port][/db]` (`rediss://` for TLS). */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MtcnnError(
      'INVALID_OPTION',
      `--redis ${url} is not a URL; give redis://HOST:PORT (e.g. redis://127.0.0.1:6379).`,
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new MtcnnError('INVALID_OPTION', `--redis ${url}: the scheme must be redis:// or rediss://.`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new MtcnnError('INVALID_OPTION', `--redis ${url}: the path must be a database number (redis://HOST:PORT/0).`);
  const o: RedisOptions = { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 6379 };
  if (db !== '') o.db = Number(db);
  if (u.username) o.username = decodeURIComponent(u.username);
  if (u.password) o.password = decodeURIComponent(u.password);
  if (u.protocol === 'rediss:') o.tls = {};
  return o;
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * A connection for short commands (`queue add`, `status`, `results`): fails fast with an
 * `INVALID_OPTION` error naming the URL when no Redis answers, instead of retrying for ever.
 */
export async function connectOnce(url: string): Promise<Redis> {
  const redis = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => (times > 3 ? null : 200 * times),
  });
  redis.on('error', () => {}); // reported by connect() below, or by the command that failed
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new MtcnnError(
      'INVALID_OPTION',
      `No Redis answers at ${safeUrl(url)} (${(e as Error).message}). Start ` +
        `one (redis-server --port 6379 --appendonly yes) or fix --redis.`,
    );
  }
  return redis;
}

/**
 * Options for a long-lived worker: retry for ever (Redis may be restarted under a running
 * worker) and never fail a command while disconnected (BullMQ's requirement for workers).
 */
export function workerRedisOptions(url: string): RedisOptions & { retryStrategy: (times: number) => number } {
  return {
    ...redisOptions(url),
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  };
}
