import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { formatStatus, queueStatus, type QueueStatus } from './status.js';

const RUN = { backend: 'onnx', detector: {}, autoOrient: true, stats: false, attempts: 3 };

describe('queueStatus', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => server.stop());

  it('says a queue nothing was added to is empty', async () => {
    const s = await queueStatus({ redis: server.url, queue: 'none' });
    expect(s).toMatchObject({ images: 0, done: 0, workers: 0, options: undefined, failed: [], active: [] });
    expect(formatStatus(s)).toBe('queue none: empty (nothing added yet)\n');
  });
});

describe('formatStatus', () => {
  const base: QueueStatus = {
    queue: 'photos',
    options: RUN,
    images: 1000,
    done: 250,
    errors: 3,
    jobs: { waiting: 45, active: 2, delayed: 0, completed: 15, failed: 1 },
    workers: 2,
    imagesPerSecond: 12.5,
    etaSeconds: 60,
    failed: [
      { jobId: 'c1', file: '/p/x.jpg', code: 'WORKER_CRASHED', message: 'died (given up after 3 tries)', images: 1 },
    ],
    active: [{ jobId: 'c2', worker: 'host:42', images: 16, done: 3, current: '/p/y.jpg' }],
  };

  it('gives progress, jobs, workers, throughput with ETA, active and failed jobs', () => {
    expect(formatStatus(base)).toBe(
      [
        'queue photos: 250 / 1000 images done (25.0%), 3 errors',
        'jobs: 45 waiting, 2 active, 0 delayed (retry), 15 completed, 1 failed',
        'workers: 2',
        'throughput: 12.5 images/s (last 100 jobs), ETA 60 s',
        'active job c2 on host:42: image 4 of 16 (/p/y.jpg)',
        'failed job c1: WORKER_CRASHED: /p/x.jpg: died (given up after 3 tries)',
        '',
      ].join('\n'),
    );
  });

  it('says finished when every image is done', () => {
    const s = { ...base, done: 1000, etaSeconds: undefined, failed: [], active: [] };
    expect(formatStatus(s).split('\n')[3]).toBe('throughput: 12.5 images/s (last 100 jobs), finished');
  });
});
