import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isMtcnnError, type MtcnnBackend } from '@mtcnn/core';
import { createWorkerDetector } from './client.js';
import { serveDetector, type WorkerScope } from './host.js';

/**
 * The page and the worker joined by a MessageChannel, in one Node process: the protocol without a
 * browser (the browser test runs the real thing). The fake backend finds no face (P-Net says 0
 * everywhere) and counts its P-Net calls.
 */
function pair(hooks: Partial<Parameters<typeof serveDetector>[0]> = {}) {
  const { port1, port2 } = new MessageChannel();
  const calls = { pnet: 0, disposed: 0, created: [] as Array<[string, unknown]> };
  const backend: MtcnnBackend = {
    name: 'fake',
    async runPNet(_l, h, w) {
      calls.pnet++;
      const mh = Math.ceil((h - 2) / 2) - 4;
      const mw = Math.ceil((w - 2) / 2) - 4;
      return {
        logit: new Float32Array(mh * mw).fill(-Infinity),
        reg: new Float32Array(mh * mw * 4),
        height: mh,
        width: mw,
      };
    },
    runRNet: () => Promise.reject(new Error('unused')),
    runONet: () => Promise.reject(new Error('unused')),
    dispose: () => void calls.disposed++,
  };
  port2.start();
  serveDetector({
    createBackend: async (name, init) => {
      calls.created.push([name, init]);
      if (name === 'broken') throw new Error('no such runtime');
      return backend;
    },
    scope: port2 as unknown as WorkerScope,
    ...hooks,
  });
  port1.start();
  const worker = Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
  return { worker, calls };
}

const image = { data: new Uint8Array(40 * 30 * 3), width: 40, height: 30 };

describe('createWorkerDetector + serveDetector', () => {
  it(
    'creates the backend in the worker with the page options, ' + 'detects, and returns counts, timings and the trace',
    async () => {
      const { worker, calls } = pair();
      const d = await createWorkerDetector(worker, { backend: 'fake-id', init: { assets: 'x' }, minFaceSize: 15 });
      expect(calls.created).toEqual([['fake-id', { assets: 'x' }]]);
      expect(d.backendName).toBe('fake');
      expect(d.options.minFaceSize).toBe(15);
      const r = await d.detectWithStats(image, { trace: true });
      expect(r.faces).toEqual([]);
      // 30 px at minFaceSize 15: 30 * 0.8 = 24, then 17.0, 12.07 (>= 12), 8.6: 3 levels.
      expect(r.counts.scales).toBe(3);
      expect(calls.pnet).toBe(3);
      expect(r.trace!.pyramid).toHaveLength(3);
      expect(typeof r.timings.total).toBe('number');
      // The caller's pixels are copied for the trip, not taken.
      expect(image.data.byteLength).toBe(40 * 30 * 3);
      d.dispose();
    },
  );

  it('changes options in the worker, keeping the backend', async () => {
    const { worker, calls } = pair();
    const d = await createWorkerDetector(worker, { backend: 'fake' });
    await d.setOptions({ minFaceSize: 30 });
    expect(d.options.minFaceSize).toBe(30);
    expect((await d.detectWithStats(image)).counts.scales).toBe(1);
    expect(calls.created).toHaveLength(1);
    expect(calls.disposed).toBe(0);
    d.dispose();
  });

  it('passes meta to the hooks and the afterDetect result back as extras', async () => {
    const seen: unknown[] = [];
    const { worker } = pair({
      beforeDetect: (_b, meta) => void seen.push(meta),
      afterDetect: (b, meta) => ({ backend: b.name, meta }),
    });
    const d = await createWorkerDetector(worker, { backend: 'fake' });
    const r = await d.detectWithStats(image, { meta: { run: 7 } });
    expect(seen).toEqual([{ run: 7 }]);
    expect(r.extras).toEqual({ backend: 'fake', meta: { run: 7 } });
    d.dispose();
  });

  it('brings MtcnnErrors back with their code, and other errors with their message', async () => {
    const { worker } = pair();
    const bad = await createWorkerDetector(worker, { backend: 'fake', minFaceSize: 3 }).catch((e: unknown) => e);
    expect(isMtcnnError(bad, 'INVALID_OPTION')).toBe(true);
    const broken = await createWorkerDetector(pair().worker, { backend: 'broken' }).catch((e: unknown) => e);
    expect((broken as Error).message).toBe('no such runtime');
    const d = await createWorkerDetector(pair().worker, { backend: 'fake' });
    const e = await d.detect({ data: new Uint8Array(5), width: 2, height: 2 }).catch((x: unknown) => x);
    expect(isMtcnnError(e, 'INVALID_IMAGE')).toBe(true);
    const url = await d.detect('photo.jpg').catch((x: unknown) => x);
    expect(isMtcnnError(url, 'UNSUPPORTED_FORMAT')).toBe(true);
    d.dispose();
  });

  it('aborts: at once on the page, and the detector stays usable', async () => {
    const { worker } = pair();
    const d = await createWorkerDetector(worker, { backend: 'fake' });
    const c = new AbortController();
    c.abort();
    expect(isMtcnnError(await d.detect(image, { signal: c.signal }).catch((x: unknown) => x), 'ABORTED')).toBe(true);
    const c2 = new AbortController();
    const p = d.detect(image, { signal: c2.signal });
    c2.abort();
    expect(isMtcnnError(await p.catch((x: unknown) => x), 'ABORTED')).toBe(true);
    expect(await d.detect(image)).toEqual([]);
    d.dispose();
  });

  it('rejects pending and later calls with DISPOSED after dispose', async () => {
    const { worker } = pair();
    const d = await createWorkerDetector(worker, { backend: 'fake' });
    const p = d.detect(image);
    d.dispose();
    d.dispose();
    expect(isMtcnnError(await p.catch((x: unknown) => x), 'DISPOSED')).toBe(true);
    expect(isMtcnnError(await d.detect(image).catch((x: unknown) => x), 'DISPOSED')).toBe(true);
  });
});
