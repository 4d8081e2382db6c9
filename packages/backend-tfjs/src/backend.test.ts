import { isMtcnnError, toNCHW } from '@mtcnn/core/backend-kit';
import { loadWeights, type MtcnnWeights } from '@mtcnn/models/node';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTfjsBackend, type TfjsBackend } from './backend.js';
import { maxAbsDiff, naiveONet, naivePNet, naiveRNet, randomInput } from './naive.test-util.js';

const TOL = 1e-4;
let weights: MtcnnWeights;

beforeAll(async () => {
  weights = await loadWeights();
});

describe.each(['cpu', 'wasm'] as const)('tfjs-%s', (kind) => {
  let backend: TfjsBackend;

  beforeAll(async () => {
    expect(await tf.setBackend(kind)).toBe(true);
    await tf.ready();
    backend = createTfjsBackend({ tf, weights });
  });
  afterAll(() => backend.dispose());

  it('is named after the tfjs backend', () => {
    expect(backend.name).toBe(`tfjs-${kind}`);
    expect(backend.tfBackend).toBe(kind);
  });

  it.each([
    [12, 12],
    [13, 17],
    [25, 31],
    [31, 24],
  ])('P-Net on %ix%i matches the naive layers', async (h, w) => {
    const level = randomInput(h * 1000 + w, h * w * 3);
    const got = await backend.runPNet(level, h, w);
    const want = naivePNet(weights, level, h, w);
    expect([got.height, got.width]).toEqual([Math.ceil((h - 2) / 2) - 4, Math.ceil((w - 2) / 2) - 4]);
    expect([got.height, got.width]).toEqual([want.height, want.width]);
    expect(got.logit).toBeInstanceOf(Float32Array);
    expect(got.logit.length).toBe(got.height * got.width);
    expect(got.reg.length).toBe(got.height * got.width * 4);
    expect(maxAbsDiff(got.logit, want.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.reg, want.reg)).toBeLessThan(TOL);
  });

  it('takes CHW pixels (layout chw) as well, with exactly the HWC outputs', async () => {
    const level = randomInput(7, 25 * 31 * 3);
    const a = await backend.runPNet(level, 25, 31);
    const b = await backend.runPNet(toNCHW(level, 1, 25, 31, 3), 25, 31, 'chw');
    expect(b.logit).toEqual(a.logit);
    expect(b.reg).toEqual(a.reg);
    const crops = randomInput(8, 3 * 48 * 48 * 3);
    const c = await backend.runONet(crops, 3);
    const d = await backend.runONet(toNCHW(crops, 3, 48, 48, 3), 3, 'chw');
    expect(d.landmarks).toEqual(c.landmarks);
    expect(d.logit).toEqual(c.logit);
  });

  it.each([1, 3])('R-Net at batch %i matches the naive layers', async (n) => {
    const crops = randomInput(100 + n, n * 24 * 24 * 3);
    const got = await backend.runRNet(crops, n);
    const want = naiveRNet(weights, crops, n);
    expect(maxAbsDiff(got.logit, want.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.reg, want.reg)).toBeLessThan(TOL);
  });

  it.each([1, 3])('O-Net at batch %i matches the naive layers', async (n) => {
    const crops = randomInput(200 + n, n * 48 * 48 * 3);
    const got = await backend.runONet(crops, n);
    const want = naiveONet(weights, crops, n);
    expect(maxAbsDiff(got.logit, want.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.reg, want.reg)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.landmarks, want.landmarks)).toBeLessThan(TOL);
  });

  it('gives the same results when a batch is split into chunks', async () => {
    const chunked = createTfjsBackend({ tf, weights, maxBatch: { rnet: 2, onet: 2 } });
    try {
      const r = randomInput(7, 5 * 24 * 24 * 3);
      const o = randomInput(8, 5 * 48 * 48 * 3);
      const [r1, r2, o1, o2] = await Promise.all([
        backend.runRNet(r, 5),
        chunked.runRNet(r, 5),
        backend.runONet(o, 5),
        chunked.runONet(o, 5),
      ]);
      expect(maxAbsDiff(r1.reg, r2.reg)).toBeLessThan(1e-5);
      expect(maxAbsDiff(r1.logit, r2.logit)).toBeLessThan(1e-5);
      expect(maxAbsDiff(o1.landmarks, o2.landmarks)).toBeLessThan(1e-5);
      expect(maxAbsDiff(o1.logit, o2.logit)).toBeLessThan(1e-5);
    } finally {
      chunked.dispose();
    }
  });

  it('leaves no tensors behind after 50 runs of each network', async () => {
    const level = randomInput(1, 25 * 31 * 3);
    const r = randomInput(2, 2 * 24 * 24 * 3);
    const o = randomInput(3, 48 * 48 * 3);
    await backend.runPNet(level, 25, 31); // warm-up: kernels may cache on first use
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      await backend.runPNet(level, 25, 31);
      await backend.runRNet(r, 2);
      await backend.runONet(o, 1);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects inputs of the wrong size', async () => {
    await expect(backend.runPNet(new Float32Array(12 * 12 * 3 - 1), 12, 12)).rejects.toThrow(RangeError);
    await expect(backend.runPNet(new Float32Array(11 * 20 * 3), 11, 20)).rejects.toThrow(RangeError);
    await expect(backend.runRNet(new Float32Array(24 * 24 * 3), 2)).rejects.toThrow(RangeError);
    await expect(backend.runONet(new Float32Array(0), 0)).rejects.toThrow(RangeError);
  });
});

describe('backend lifecycle', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('frees its weight tensors on dispose, idempotently, and refuses to run afterwards', async () => {
    const before = tf.memory().numTensors;
    const b = createTfjsBackend({ tf, weights });
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const e = await b.runPNet(new Float32Array(12 * 12 * 3), 12, 12).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(Error);
    expect(isMtcnnError(e, 'DISPOSED')).toBe(true);
    await expect(b.runRNet(new Float32Array(24 * 24 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
    await expect(b.runONet(new Float32Array(48 * 48 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('runs on the tfjs backend it was created on, restoring the active one', async () => {
    await tf.setBackend('cpu');
    const b = createTfjsBackend({ tf, weights });
    try {
      await tf.setBackend('wasm');
      const level = randomInput(5, 13 * 17 * 3);
      const got = await b.runPNet(level, 13, 17);
      expect(tf.getBackend()).toBe('wasm');
      expect(maxAbsDiff(got.reg, naivePNet(weights, level, 13, 17).reg)).toBeLessThan(TOL);
    } finally {
      b.dispose();
    }
  });

  it('runs backends on different tfjs backends concurrently', async () => {
    await tf.setBackend('cpu');
    const onCpu = createTfjsBackend({ tf, weights });
    await tf.setBackend('wasm');
    const onWasm = createTfjsBackend({ tf, weights });
    try {
      const crops = randomInput(6, 2 * 24 * 24 * 3);
      const want = naiveRNet(weights, crops, 2);
      const results = await Promise.all([
        onCpu.runRNet(crops, 2),
        onWasm.runRNet(crops, 2),
        onCpu.runRNet(crops, 2),
        onWasm.runRNet(crops, 2),
      ]);
      for (const got of results) expect(maxAbsDiff(got.reg, want.reg)).toBeLessThan(TOL);
      expect(tf.getBackend()).toBe('wasm');
    } finally {
      onCpu.dispose();
      onWasm.dispose();
    }
  });
});
