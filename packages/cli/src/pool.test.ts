import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BackendName } from '@mtcnn/backends/node';
import { PoolStartupError, runPool, type PoolResult, type WorkerConfig, threadsPerWorker } from './pool.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));
const CONFIG: WorkerConfig = { backend: 'tfjs-wasm', detector: {}, stats: false, autoOrient: true };

async function collect(
  files: string[],
  jobs: number,
  extra: Partial<Parameters<typeof runPool>[1]> = {},
): Promise<PoolResult[]> {
  const results: PoolResult[] = [];
  await runPool(
    files.map((file, index) => ({ index, file })),
    { jobs, config: CONFIG, onResult: (r) => results.push(r), ...extra },
  );
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
    await expect(
      runPool([{ index: 0, file: SAMPLE }], { jobs: 1, config: bad, onResult: () => {} }),
    ).rejects.toBeInstanceOf(PoolStartupError);
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
      {
        file: 'crash',
        error: { code: 'WORKER_FAILED', message: expect.stringContaining('exited unexpectedly (code 3)') },
      },
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

describe('workers and onnxruntime-node under a long command line', () => {
  it('a CLI run with hundreds of long path arguments does not crash creating ONNX sessions in workers', async () => {
    // onnxruntime-node 1.30 overflowed a worker's default native stack creating a session when the
    // process's command line was long (it crashed with SIGSEGV, exit 139, at ~17 KB of arguments).
    const { spawnSync } = await import('node:child_process');
    const cli = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    const missing = Array.from({ length: 800 }, (_, i) => `/no/such/dir/${'x'.repeat(100)}/${i}.jpg`);
    const r = spawnSync(
      process.execPath,
      [cli, 'detect', '--backend', 'onnx', '--jobs', '2', '-q', SAMPLE, ...missing],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1); // the missing files failed; the run finished
    const out = JSON.parse(r.stdout) as { faces?: unknown[]; error?: { code: string } }[];
    expect(out).toHaveLength(801);
    expect(out[0].faces).toHaveLength(4);
    expect(out.slice(1).every((e) => e.error?.code === 'DECODE_FAILED')).toBe(true);
  });
});

describe('threadsPerWorker', () => {
  it('one thread per worker asked for; fewer workers (fewer images) share the idle ones, up to the cores', () => {
    const cases: [requested: number, workers: number, cores: number, want: number][] = [
      [2, 2, 2, 1], // --jobs 2 (default on 2 cores), many images
      [1, 1, 2, 1], // --jobs 1: one worker, one core, as asked
      [2, 1, 2, 2], // default on 2 cores, one image: both cores
      [8, 3, 8, 2], // default on 8 cores, 3 images
      [4, 1, 2, 2], // --jobs 4 on 2 cores, one image: capped at the cores
      [16, 16, 8, 1],
    ];
    for (const [requested, workers, cores, want] of cases)
      expect(threadsPerWorker(requested, workers, cores)).toBe(want);
  });
});
