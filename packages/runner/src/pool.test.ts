import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMtcnnError } from '@mtcnn/core';
import { openPool, type DetectorPool } from './pool.js';
import type { TaskResult, TaskSuccess } from './protocol.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLE = join(ROOT, 'examples/astronaut-collage.jpg');
const DIST = join(ROOT, 'packages/runner/dist/index.js');

const ok = (r: TaskResult): TaskSuccess => {
  if ('error' in r) throw new Error(`expected a result, got ${r.error.code}: ${r.error.message}`);
  return r;
};

describe('DetectorPool (the built dist/worker.js, real onnx detectors)', () => {
  let pool: DetectorPool;
  beforeAll(async () => {
    pool = await openPool({ workers: 2, backend: 'onnx', queueSize: 8 });
  });
  afterAll(() => pool?.dispose());

  it('detects a file and its bytes alike, per-task options and stats included', async () => {
    const bytes = readFileSync(SAMPLE);
    const [file, buffer, big, stats] = await Promise.all([
      pool.submit({ source: { file: SAMPLE } }),
      pool.submit({ source: { bytes: new Uint8Array(bytes) } }),
      pool.submit({ source: { file: SAMPLE }, options: { minFaceSize: 60 }, stats: true }),
      pool.submit({ source: { file: SAMPLE }, stats: true }),
    ]);
    expect(pool.backendName).toBe('onnx');
    expect(ok(file).entry).toMatchObject({ width: 800, height: 416 });
    expect(ok(file).entry.faces).toHaveLength(4); // one per astronaut tile
    expect(ok(file).entry.stages).toBeUndefined();
    expect(ok(buffer).entry).toEqual(ok(file).entry);
    // Pyramid levels (pipeline step 2, docs/architecture.md): the short side 416 scaled by 12 / minFace, then by 0.709
    // while
    // >= 12 px: 249.6 -> 9 levels at the default 20 px, 83.2 -> 6 levels at 60 px.
    expect(ok(stats).entry.stages).toMatchObject({ scales: 9, faces: 4 });
    expect(ok(big).entry.stages?.scales).toBe(6);
    expect(ok(stats).entry.faces).toEqual(ok(file).entry.faces);
    expect(ok(file).timings.total).toBeGreaterThan(0);
  });

  it('turns bad input into the image error and keeps going', async () => {
    const [text, missing, empty] = await Promise.all([
      pool.submit({ source: { bytes: new TextEncoder().encode('not an image') } }),
      pool.submit({ source: { file: '/no/such/file.jpg' } }),
      pool.submit({ source: { bytes: new Uint8Array(0) } }),
    ]);
    expect(text).toEqual({ error: { code: 'UNSUPPORTED_FORMAT', message: expect.any(String) } });
    expect(missing).toMatchObject({ error: { code: 'DECODE_FAILED' } });
    expect(empty).toMatchObject({ error: { code: 'DECODE_FAILED' } });
    const badOption = await pool.submit({ source: { file: SAMPLE }, options: { minFaceSize: 3 } });
    expect(badOption).toMatchObject({ error: { code: 'INVALID_OPTION' } });
    expect(ok(await pool.submit({ source: { file: SAMPLE } })).entry.faces).toHaveLength(4);
  });

  it('builds the HTML stage report in the worker', async () => {
    const r = ok(await pool.submit({ source: { file: SAMPLE }, report: { name: 'collage.jpg' } }));
    const html = new TextDecoder().decode(r.report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>MTCNN stages: collage.jpg</title>');
    expect(r.entry.faces).toHaveLength(4);
  });

  it('aborts a waiting task at once and a running one at its next checkpoint; the pool goes on', async () => {
    const first = new AbortController();
    const running = [1, 2].map(() => pool.submit({ source: { file: SAMPLE } })); // both workers busy
    const waiting = pool.submit({ source: { file: SAMPLE } }, { signal: first.signal });
    expect(pool.stats().queued).toBe(1);
    first.abort();
    expect(await waiting).toEqual({ error: { code: 'ABORTED', message: expect.stringContaining('waited') } });
    expect(pool.stats().queued).toBe(0);
    await Promise.all(running);

    const during = new AbortController();
    const task = pool.submit({ source: { file: SAMPLE } }, { signal: during.signal });
    setImmediate(() => during.abort());
    expect(await task).toMatchObject({ error: { code: 'ABORTED' } });
    const pre = AbortSignal.abort();
    expect(await pool.submit({ source: { file: SAMPLE } }, { signal: pre })).toMatchObject({
      error: { code: 'ABORTED' },
    });
    expect(ok(await pool.submit({ source: { file: SAMPLE } })).entry.faces).toHaveLength(4);
    expect(pool.stats().replaced).toBe(0);
  });

  it('refuses a task with QUEUE_FULL when the bounded queue is full', async () => {
    const small = await openPool({ workers: 1, backend: 'onnx', queueSize: 1 });
    try {
      const a = small.submit({ source: { file: SAMPLE } }); // runs
      const b = small.submit({ source: { file: SAMPLE } }); // waits
      expect(small.accepting).toBe(false);
      const c = small.submit({ source: { file: SAMPLE } });
      await expect(c).rejects.toSatisfy((e) => isMtcnnError(e, 'QUEUE_FULL'));
      expect((await Promise.all([a, b])).map((r) => ok(r).entry.faces.length)).toEqual([4, 4]);
      expect(small.accepting).toBe(true);
    } finally {
      await small.dispose();
    }
  });

  it('close() finishes what was submitted, then refuses new tasks', async () => {
    const closing = await openPool({ workers: 1, backend: 'onnx' });
    const tasks = [1, 2, 3].map(() => closing.submit({ source: { file: SAMPLE } }));
    const closed = closing.close();
    await expect(closing.submit({ source: { file: SAMPLE } })).rejects.toSatisfy((e) => isMtcnnError(e, 'DISPOSED'));
    expect((await Promise.all(tasks)).map((r) => ok(r).entry.faces.length)).toEqual([4, 4, 4]);
    await closed;
    expect(closing.stats().workers).toBe(0);
  });

  it('dispose() settles the waiting and running tasks with DISPOSED', async () => {
    const p = await openPool({ workers: 1, backend: 'onnx' });
    const tasks = [1, 2].map(() => p.submit({ source: { file: SAMPLE } }));
    await p.dispose();
    for (const r of await Promise.all(tasks)) expect(r).toMatchObject({ error: { code: 'DISPOSED' } });
  });
});

describe('openPool refusals', () => {
  it('rejects an unknown backend, bad options and too many workers, with INVALID_OPTION', async () => {
    await expect(openPool({ workers: 1, backend: 'no-such-backend' })).rejects.toSatisfy(
      (e) => isMtcnnError(e, 'INVALID_OPTION') && e.message.includes('no-such-backend'),
    );
    await expect(openPool({ workers: 1, backend: 'onnx', detector: { minFaceSize: 1 } })).rejects.toSatisfy((e) =>
      isMtcnnError(e, 'INVALID_OPTION'),
    );
    await expect(openPool({ workers: 1000, backend: 'onnx' })).rejects.toSatisfy(
      (e) => isMtcnnError(e, 'INVALID_OPTION') && /workers must be a whole number from 1 to \d+/.test(e.message),
    );
  });
});

describe('a worker that dies', () => {
  // Crashes on demand: this worker speaks the pool's protocol and dies on chosen files, as a
  // crashing detector would (exit, uncaught exception, a reported detector failure).
  const dir = mkdtempSync(join(tmpdir(), 'mtcnn-runner-'));
  const script = join(dir, 'dying-worker.mjs');
  writeFileSync(
    script,
    `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.type !== 'task') return;
  const file = m.spec.source.file;
  if (file === 'exit') process.exit(3);
  if (file === 'throw') throw new Error('a bug');
  if (file === 'fatal') {
    parentPort.postMessage({ type: 'fatal', id: m.id, error: { code: 'BACKEND_FAILED', message: 'wasm aborted' } });
    process.exit(1);
  }
  const timings = { decode: 0, pyramid: 0, pnet: 0, rnet: 0, onet: 0, post: 0, total: 0 };
  const entry = { width: 1, height: 1, faces: [] };
  parentPort.postMessage({ type: 'result', id: m.id, result: { entry, timings, log: [file] } });
});
parentPort.postMessage({ type: 'ready', backend: 'scripted' });
`,
  );

  it('becomes that task WORKER_FAILED (or the error it reported), is replaced, and the rest go on', async () => {
    const pool = await openPool({ workers: 1, backend: 'onnx', workerUrl: pathToFileURL(script) });
    try {
      const files = ['a', 'exit', 'b', 'throw', 'c', 'fatal', 'd'];
      const results = await Promise.all(files.map((file) => pool.submit({ source: { file } })));
      expect(results.map((r) => ('error' in r ? r.error.code : r.log[0]))).toEqual([
        'a',
        'WORKER_FAILED',
        'b',
        'WORKER_FAILED',
        'c',
        'BACKEND_FAILED',
        'd',
      ]);
      expect('error' in results[1] && results[1].error.message).toContain('exited with code 3');
      expect('error' in results[3] && results[3].error.message).toContain('a bug');
      expect(pool.stats()).toMatchObject({ workers: 1, replaced: 3 });
    } finally {
      await pool.dispose();
    }
  });
});

describe('a worker over its heap limit (in a child process, so that a failure cannot take vitest down)', () => {
  it('is that image WORKER_FAILED; the next image is detected and the process exits 0', () => {
    // Thresholds of 0 make every P-Net cell a candidate; with the trace on, a 2400x1248 image
    // needs far more than a 24 MB heap: the worker dies of "JS heap out of memory".
    const script = `
      import sharp from 'sharp';
      import { openPool } from ${JSON.stringify(pathToFileURL(DIST).href)};
      const big = await sharp(${JSON.stringify(SAMPLE)}).resize(2400).jpeg().toBuffer();
      const pool = await openPool({ workers: 1, backend: 'onnx', resourceLimits: { maxOldGenerationSizeMb: 24 } });
      const a = await pool.submit(
        { source: { bytes: big }, options: { thresholds: [0, 0, 0] }, report: { name: 'x' } },
      );
      const b = await pool.submit({ source: { file: ${JSON.stringify(SAMPLE)} } });
      console.log(JSON.stringify({ a: a.error, b: b.entry?.faces.length, stats: pool.stats() }));
      await pool.close();
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(ROOT, 'packages/runner'),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { a: { code: string; message: string }; b: number; stats: object };
    expect(out.a).toEqual({ code: 'WORKER_FAILED', message: expect.stringContaining('out of memory') });
    expect(out.b).toBe(4);
    expect(out.stats).toMatchObject({ workers: 1, replaced: 1 });
  });
});
