import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool, type DetectorPool } from './pool.js';
import type { TaskResult } from './protocol.js';
import { runTasks } from './run-tasks.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));

describe('runTasks', () => {
  let pool: DetectorPool;
  beforeAll(async () => {
    pool = await openPool({ workers: 1, backend: 'onnx', queueSize: 2 });
  });
  afterAll(() => pool?.dispose());

  it('gives every task one result, in input order with one worker, never overfilling the queue', async () => {
    const files = [SAMPLE, '/no/such/file.jpg', SAMPLE, SAMPLE, SAMPLE];
    const got: [number, TaskResult][] = [];
    let maxQueued = 0;
    await runTasks(
      pool,
      files.map((file) => ({ source: { file } })),
      (i, r) => {
        got.push([i, r]);
        maxQueued = Math.max(maxQueued, pool.stats().queued);
      },
    );
    expect(got.map(([i]) => i)).toEqual([0, 1, 2, 3, 4]);
    expect(got[1][1]).toMatchObject({ error: { code: 'DECODE_FAILED' } });
    for (const k of [0, 2, 3, 4]) expect(got[k][1]).toMatchObject({ entry: { width: 800, height: 416 } });
    expect(maxQueued).toBeLessThanOrEqual(1); // window 2 = one running + one waiting
    await runTasks(pool, [], () => {
      throw new Error('never called');
    });
  });

  it('stops submitting when a result cannot be taken (say the output disk is full) and rejects with that', async () => {
    // A worker that answers at once, so that the test is about runTasks, not detection.
    const dir = mkdtempSync(join(tmpdir(), 'mtcnn-run-tasks-'));
    const script = join(dir, 'echo-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.type !== 'task') return;
  const timings = { decode: 0, pyramid: 0, pnet: 0, rnet: 0, onet: 0, post: 0, total: 0 };
  const entry = { width: 1, height: 1, faces: [] };
  parentPort.postMessage({ type: 'result', id: m.id, result: { entry, timings, log: [] } });
});
parentPort.postMessage({ type: 'ready', backend: 'echo' });
`,
    );
    const echo = await openPool({ workers: 1, backend: 'onnx', workerUrl: pathToFileURL(script) });
    try {
      const seen: number[] = [];
      const tasks = Array.from({ length: 100 }, (_, i) => ({ source: { file: String(i) } }));
      await expect(
        runTasks(echo, tasks, (i) => {
          seen.push(i);
          if (i === 3) throw new Error('ENOSPC');
        }),
      ).rejects.toThrow('ENOSPC');
      expect(seen).toEqual([0, 1, 2, 3]); // nothing after the failure is handed over
      expect(echo.stats()).toMatchObject({ busy: 0, queued: 0 });
    } finally {
      await echo.dispose();
    }
  });
});
