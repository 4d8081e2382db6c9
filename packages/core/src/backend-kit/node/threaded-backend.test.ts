import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MtcnnBackend, PixelLayout } from '../../backend.js';
import { toNCHW } from '../../layout.js';
import { createThreadBackend } from './backend-fixture.test-util.mjs';
import { builtModule, createThreadedBackend, type ThreadedBackend } from './threaded-backend.js';

const FIXTURE = new URL('./backend-fixture.test-util.mjs', import.meta.url);

/** Deterministic pseudo-random values in [-1, 1). */
function values(seed: number, n: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const options = { name: 'fixture-chw', pixelLayout: 'chw' as const, flavour: 'plain' };

describe('createThreadedBackend', () => {
  let local: MtcnnBackend;
  let threaded: ThreadedBackend;
  beforeAll(async () => {
    local = await createThreadBackend(options);
    threaded = await createThreadedBackend({
      module: FIXTURE,
      factory: 'createThreadBackend',
      options,
      threads: 2,
      name: 'fixture',
      split: { pnet: (h, w, n) => (h * w >= 4096 ? n + 1 : 1), minCrops: 3 },
    });
  });
  afterAll(() => threaded?.disposeAsync());

  it("reports the thread backend's own name, layout and plain properties, and threads + 1 calls in flight", () => {
    expect(threaded.name).toBe('fixture-chw');
    expect(threaded.pixelLayout).toBe('chw');
    expect((threaded as unknown as { flavour: string }).flavour).toBe('plain');
    expect(threaded.threads).toBe(2);
    expect(threaded.inFlight).toBe(3);
  });

  it.each([
    [20, 17],
    [70, 90], // 6,300 pixels: 3 strips on 2 threads
  ])('P-Net on a %ix%i level, whole or in strips, equals the backend in one piece, HWC and CHW', async (h, w) => {
    const hwc = values(h * w, h * w * 3);
    const want = await local.runPNet(hwc, h, w);
    for (const [level, layout] of [
      [hwc, 'hwc'],
      [toNCHW(hwc, 1, h, w, 3), 'chw'],
    ] as [Float32Array, PixelLayout][]) {
      const copy = level.slice();
      expect(await threaded.runPNet(level, h, w, layout)).toEqual(want);
      expect(level).toEqual(copy); // the caller's buffer, untouched
    }
  });

  it.each([1, 2, 7])(
    'R-Net and O-Net on %i crops, in parts of >= 3 crops, equal the backend in one piece',
    async (n) => {
      const r = values(n, n * 24 * 24 * 3);
      const o = values(n + 100, n * 48 * 48 * 3);
      expect(await threaded.runRNet(r, n)).toEqual(await local.runRNet(r, n));
      expect(await threaded.runONet(o, n)).toEqual(await local.runONet(o, n));
      expect(await threaded.runONet(toNCHW(o, n, 48, 48, 3), n, 'chw')).toEqual(await local.runONet(o, n));
    },
  );

  it('checks arguments like every backend, and rejects every call after dispose with DISPOSED', async () => {
    await expect(threaded.runPNet(new Float32Array(5), 12, 12)).rejects.toThrow(RangeError);
    await expect(threaded.runRNet(new Float32Array(24 * 24 * 3), 2)).rejects.toThrow(RangeError);
    const b = await createThreadedBackend({
      module: FIXTURE,
      factory: 'createThreadBackend',
      options,
      threads: 1,
      name: 'f',
    });
    const pending = b.runPNet(values(1, 300 * 300 * 3), 300, 300).catch((e: unknown) => e);
    b.dispose();
    expect(await pending).toMatchObject({ code: 'DISPOSED' });
    await expect(b.runONet(new Float32Array(48 * 48 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
    await b.disposeAsync();
  });

  it('a module without the factory, or no threads, is refused with a clear error', async () => {
    await expect(
      createThreadedBackend({ module: FIXTURE, factory: 'nope', options, threads: 1, name: 'fixture' }),
    ).rejects.toMatchObject({ code: 'BACKEND_FAILED', message: expect.stringContaining('has no function nope') });
    await expect(
      createThreadedBackend({ module: FIXTURE, factory: 'createThreadBackend', options, threads: 0, name: 'f' }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('builtModule', () => {
  it('finds the built file beside a built module, and in dist/ from a TypeScript source', () => {
    expect(builtModule('file:///p/dist/threads.js', 'threads.js').href).toBe('file:///p/dist/threads.js');
    expect(builtModule('file:///p/src/threads.ts', 'threads.js').href).toBe('file:///p/dist/threads.js');
  });
});
