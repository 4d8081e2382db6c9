import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BackendName } from './backends.js';
import { PoolStartupError, runPool, type PoolResult, type WorkerConfig } from './pool.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));
const CONFIG: WorkerConfig = { backend: 'tfjs-wasm', detector: {}, stats: false, autoOrient: true };

async function collect(files: string[], jobs: number, extra: Partial<Parameters<typeof runPool>[1]> = {}): Promise<PoolResult[]> {
  const results: PoolResult[] = [];
  await runPool(files.map((file, index) => ({ index, file })), { jobs, config: CONFIG, onResult: (r) => results.push(r), ...extra });
  return results;
}

describe('runPool (the built dist/worker.js, real detector)', () => {
  it('gives every task one result, the same with 2 workers as with 1', async () => {
    const files = [SAMPLE, '/no/such/file.jpg', SAMPLE, SAMPLE];
    const one = await collect(files, 1);
    const two = await collect(files, 2);
    expect(one.map((r) => r.index)).toEqual([0, 1, 2, 3]); // one worker: input order
    expect(two.map((r) => r.index).sort()).toEqual([0, 1, 2, 3]);
    const byIndex = (rs: PoolResult[]) => [...rs].sort((a, b) => a.index - b.index).map((r) => r.entry);
    expect(byIndex(two)).toEqual(byIndex(one));
    expect(one[1].entry).toMatchObject({ file: '/no/such/file.jpg', error: { code: 'DECODE_FAILED' } });
    expect(one[0].entry).toMatchObject({ file: SAMPLE, width: 800, height: 416 });
    expect(one[0].log[0]).toMatch(/4 faces \(800x416, \d+ ms\)/);
  });

  it('resolves at once with no task, and rejects with PoolStartupError when a worker cannot start', async () => {
    expect(await collect([], 2)).toEqual([]);
    const bad = { ...CONFIG, backend: 'no-such-backend' as BackendName };
    await expect(runPool([{ index: 0, file: SAMPLE }], { jobs: 1, config: bad, onResult: () => {} })).rejects.toBeInstanceOf(PoolStartupError);
  });
});

describe('runPool with a worker that dies', () => {
  // A real crash (out of memory in the middle of an image) cannot be produced on demand; this
  // worker speaks the protocol and dies on chosen files, as a crashing one would.
  const dir = mkdtempSync(join(tmpdir(), 'mtcnn-pool-'));
  const script = join(dir, 'dying-worker.mjs');
  writeFileSync(
    script,
    `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.file === 'crash') process.exit(3);
  if (m.file === 'report-then-exit') {
    parentPort.postMessage({ type: 'image-failed', index: m.index, error: { code: 'BACKEND_FAILED', message: 'wasm aborted' } });
    process.exit(1);
  }
  parentPort.postMessage({ type: 'result', index: m.index, entry: { file: m.file, width: 1, height: 1, faces: [] }, log: [] });
});
parentPort.postMessage({ type: 'ready' });
`,
  );

  it('records the image that killed its worker, replaces the worker and finishes the rest', async () => {
    const files = ['a', 'crash', 'b', 'report-then-exit', 'c'];
    const results = await collect(files, 1, { workerUrl: pathToFileURL(script) });
    expect(results.map((r) => r.entry)).toEqual([
      { file: 'a', width: 1, height: 1, faces: [] },
      { file: 'crash', error: { code: 'WORKER_FAILED', message: expect.stringContaining('exited unexpectedly (code 3)') } },
      { file: 'b', width: 1, height: 1, faces: [] },
      { file: 'report-then-exit', error: { code: 'BACKEND_FAILED', message: 'wasm aborted' } },
      { file: 'c', width: 1, height: 1, faces: [] },
    ]);
  });

  it('stops the run when the result cannot be taken (say the output disk is full)', async () => {
    const run = collect(['a', 'b'], 1, {
      workerUrl: pathToFileURL(script),
      onResult: () => {
        throw new Error('ENOSPC');
      },
    });
    await expect(run).rejects.toThrow('ENOSPC');
  });
});
