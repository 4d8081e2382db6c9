import { isMtcnnError, type MtcnnBackend, type ONetOutput, type PNetOutput, type RNetOutput } from '@mtcnn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';

// The MtcnnBackend contract (packages/core/src/backend.ts), the same cases for every backend: raw
// network outputs agree with the first backend's (tfjs-wasm, itself checked against a naive JS
// MTCNN in @mtcnn/backend-tfjs) within 1e-4, output shapes, input validation, dispose.
const TOL = 1e-4;

/** Uniform values in [-1, 1) (normalised pixels), deterministic. */
function randomInput(seed: number, length: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const LEVELS = [
  [12, 12],
  [57, 91],
] as const;
const BATCHES = [1, 37];
const inputs = {
  level: (h: number, w: number) => randomInput(h * 1000 + w, h * w * 3),
  rnet: (n: number) => randomInput(100 + n, n * 24 * 24 * 3),
  onet: (n: number) => randomInput(200 + n, n * 48 * 48 * 3),
};

let reference: MtcnnBackend;
const cache = new Map<string, Promise<PNetOutput | RNetOutput | ONetOutput>>();
function want<T extends PNetOutput | RNetOutput | ONetOutput>(key: string, run: () => Promise<T>): Promise<T> {
  if (!cache.has(key)) cache.set(key, run());
  return cache.get(key) as Promise<T>;
}

beforeAll(async () => {
  reference = await BACKENDS[0].create();
});
afterAll(() => reference?.dispose());

describe.each(BACKENDS)('backend contract on $name', ({ name, create }) => {
  let backend: MtcnnBackend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(() => backend?.dispose());

  it('is named as the CLI names it', () => {
    expect(backend.name).toBe(name);
  });

  it.each(LEVELS)('P-Net on a %ix%i level: map size, float32 outputs, values', async (h, w) => {
    const got = await backend.runPNet(inputs.level(h, w), h, w);
    const ref = await want(`p${h}x${w}`, () => reference.runPNet(inputs.level(h, w), h, w));
    expect([got.height, got.width]).toEqual([Math.ceil((h - 2) / 2) - 4, Math.ceil((w - 2) / 2) - 4]);
    expect(got.logit).toBeInstanceOf(Float32Array);
    expect(got.reg).toBeInstanceOf(Float32Array);
    expect(maxAbsDiff(got.logit, ref.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.reg, ref.reg)).toBeLessThan(TOL);
  });

  it.each(BATCHES)('R-Net and O-Net at batch %i', async (n) => {
    const r = await backend.runRNet(inputs.rnet(n), n);
    const o = await backend.runONet(inputs.onet(n), n);
    const rr = await want(`r${n}`, () => reference.runRNet(inputs.rnet(n), n));
    const ro = await want(`o${n}`, () => reference.runONet(inputs.onet(n), n));
    expect([r.logit.length, r.reg.length, o.logit.length, o.reg.length, o.landmarks.length]).toEqual([
      n,
      4 * n,
      n,
      4 * n,
      10 * n,
    ]);
    expect(maxAbsDiff(r.logit, rr.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.reg, rr.reg)).toBeLessThan(TOL);
    expect(maxAbsDiff(o.logit, ro.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(o.reg, ro.reg)).toBeLessThan(TOL);
    expect(maxAbsDiff(o.landmarks, ro.landmarks)).toBeLessThan(TOL);
  });

  it('rejects inputs of the wrong size with RangeError', async () => {
    await expect(backend.runPNet(new Float32Array(12 * 12 * 3 - 1), 12, 12)).rejects.toThrow(RangeError);
    await expect(backend.runPNet(new Float32Array(11 * 20 * 3), 11, 20)).rejects.toThrow(RangeError);
    await expect(backend.runRNet(new Float32Array(24 * 24 * 3), 2)).rejects.toThrow(RangeError);
    await expect(backend.runONet(new Float32Array(0), 0)).rejects.toThrow(RangeError);
  });

  it('dispose is idempotent; every run afterwards rejects with DISPOSED', async () => {
    const b = await create();
    b.dispose();
    b.dispose();
    const e = await b.runPNet(new Float32Array(12 * 12 * 3), 12, 12).catch((err: unknown) => err);
    expect(isMtcnnError(e, 'DISPOSED')).toBe(true);
    await expect(b.runRNet(new Float32Array(24 * 24 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
    await expect(b.runONet(new Float32Array(48 * 48 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});
