import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { loadWeights, type MtcnnWeights } from '@mtcnn/models/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOnnxBackend, type OnnxBackend } from './backend.js';
import { createNodeOnnxBackend, type NodeOnnxRuntime } from './node-backend.js';
import { maxAbsDiff, randomInput } from './random.test-util.js';
import {
  isMtcnnError,
  type MtcnnBackend,
  type ONetOutput,
  type PNetOutput,
  type RNetOutput,
  toNCHW,
} from '@mtcnn/core/backend-kit';
import { loadOrt } from './node-runtime.js';
import type { Ort, OrtSession } from './runtime.js';

// The ONNX graphs against the tfjs backend (itself checked against a naive JS MTCNN) on the same
// random inputs: raw network outputs within 1e-4.
const TOL = 1e-4;
const PNET_SIZES = [
  [61, 83], // a small pyramid level
  [289, 385], // bbt4_640x480 at scale 0.6
] as const;
const BATCHES = [1, 300];

let weights: MtcnnWeights;
let tfjs: MtcnnBackend;
const want = new Map<string, Promise<PNetOutput | RNetOutput | ONetOutput>>();
/** tfjs-wasm's outputs, computed once and shared by both runtimes. */
const reference = <T extends PNetOutput | RNetOutput | ONetOutput>(key: string, run: () => Promise<T>): Promise<T> => {
  if (!want.has(key)) want.set(key, run());
  return want.get(key) as Promise<T>;
};

beforeAll(async () => {
  weights = await loadWeights();
  tfjs = await createNodeTfjsBackend({ backend: 'wasm', weights });
});
afterAll(() => tfjs?.dispose());

describe.each([
  ['node', 'onnx'],
  ['wasm', 'onnx-wasm'],
] as [NodeOnnxRuntime, string][])('ONNX Runtime %s', (runtime, name) => {
  let backend: OnnxBackend;
  beforeAll(async () => {
    backend = await createNodeOnnxBackend({ runtime, weights });
  });
  afterAll(() => backend?.disposeAsync());

  it(`is named ${name}`, () => {
    expect(backend.name).toBe(name);
    expect(backend.inputLayout).toBe('nchw');
    expect(backend.pixelLayout).toBe('chw');
  });

  it.each(PNET_SIZES)('P-Net on a %ix%i level equals tfjs', async (h, w) => {
    const level = randomInput(h * 1000 + w, h * w * 3);
    const got = await backend.runPNet(level, h, w);
    const ref = await reference(`p${h}x${w}`, () => tfjs.runPNet(level, h, w));
    expect([got.height, got.width]).toEqual([ref.height, ref.width]);
    expect([got.height, got.width]).toEqual([Math.ceil((h - 2) / 2) - 4, Math.ceil((w - 2) / 2) - 4]);
    expect(got.logit).toBeInstanceOf(Float32Array);
    expect(maxAbsDiff(got.logit, ref.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.reg, ref.reg)).toBeLessThan(TOL);
  });

  it.each(BATCHES)('R-Net at batch %i equals tfjs', async (n) => {
    const crops = randomInput(100 + n, n * 24 * 24 * 3);
    const got = await backend.runRNet(crops, n);
    const ref = await reference(`r${n}`, () => tfjs.runRNet(crops, n));
    expect(got.logit.length).toBe(n);
    expect(maxAbsDiff(got.logit, ref.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.reg, ref.reg)).toBeLessThan(TOL);
  });

  it.each(BATCHES)('O-Net at batch %i equals tfjs', async (n) => {
    const crops = randomInput(200 + n, n * 48 * 48 * 3);
    const got = await backend.runONet(crops, n);
    const ref = await reference(`o${n}`, () => tfjs.runONet(crops, n));
    expect(got.landmarks.length).toBe(n * 10);
    expect(maxAbsDiff(got.logit, ref.logit)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.reg, ref.reg)).toBeLessThan(TOL);
    expect(maxAbsDiff(got.landmarks, ref.landmarks)).toBeLessThan(TOL);
  });

  it('gives the same results with NHWC graph input and with small chunks', async () => {
    const other = await createNodeOnnxBackend({
      runtime,
      weights,
      inputLayout: 'nhwc',
      maxBatch: { rnet: 2, onet: 2 },
    });
    try {
      expect(other.inputLayout).toBe('nhwc');
      expect(other.pixelLayout).toBe('hwc');
      const level = randomInput(3, 31 * 45 * 3);
      const r = randomInput(4, 5 * 24 * 24 * 3);
      const o = randomInput(5, 5 * 48 * 48 * 3);
      const [p1, p2, r1, r2, o1, o2] = await Promise.all([
        backend.runPNet(level, 31, 45),
        other.runPNet(level, 31, 45),
        backend.runRNet(r, 5),
        other.runRNet(r, 5),
        backend.runONet(o, 5),
        other.runONet(o, 5),
      ]);
      expect(maxAbsDiff(p1.reg, p2.reg)).toBeLessThan(1e-5);
      expect(maxAbsDiff(r1.logit, r2.logit)).toBeLessThan(1e-5);
      expect(maxAbsDiff(r1.reg, r2.reg)).toBeLessThan(1e-5);
      expect(maxAbsDiff(o1.landmarks, o2.landmarks)).toBeLessThan(1e-5);
    } finally {
      await other.disposeAsync();
    }
  });

  it('runs on CHW planes without a copy (pixelLayout) and on HWC pixels, with equal results', async () => {
    expect(backend.pixelLayout).toBe('chw');
    const level = randomInput(6, 23 * 29 * 3);
    const crops = randomInput(7, 3 * 24 * 24 * 3);
    const a = await backend.runPNet(level, 23, 29);
    const b = await backend.runPNet(toNCHW(level, 1, 23, 29, 3), 23, 29, 'chw');
    expect(b.logit).toEqual(a.logit);
    expect(b.reg).toEqual(a.reg);
    const r1 = await backend.runRNet(crops, 3, 'hwc');
    const r2 = await backend.runRNet(toNCHW(crops, 3, 24, 24, 3), 3, 'chw');
    expect(r2.logit).toEqual(r1.logit);
    expect(r2.reg).toEqual(r1.reg);
  });

  // onnxruntime-web's kernels round strips differently (by ~1e-7): strips are a node-only default.
  it.runIf(runtime === 'node')('runs a large level in strips with exactly the outputs of one piece', async () => {
    const level = randomInput(8, 61 * 47 * 3);
    const whole = await createNodeOnnxBackend({ runtime, weights, maxPNetPixels: Infinity }).then(async (b) => {
      try {
        return await b.runPNet(level, 61, 47);
      } finally {
        await b.disposeAsync();
      }
    });
    for (const maxPNetPixels of [12 * 47, 30 * 47, 1000]) {
      const striped = await createOnnxBackend({ ort: await loadOrt('node'), weights, maxPNetPixels });
      try {
        for (const layout of ['hwc', 'chw'] as const) {
          const got = await striped.runPNet(layout === 'hwc' ? level : toNCHW(level, 1, 61, 47, 3), 61, 47, layout);
          expect([got.height, got.width]).toEqual([whole.height, whole.width]);
          expect(got.logit).toEqual(whole.logit);
          expect(got.reg).toEqual(whole.reg);
        }
      } finally {
        await striped.disposeAsync();
      }
    }
  });

  it('rejects inputs of the wrong size', async () => {
    await expect(backend.runPNet(new Float32Array(12 * 12 * 3 - 1), 12, 12)).rejects.toThrow(RangeError);
    await expect(backend.runPNet(new Float32Array(11 * 20 * 3), 11, 20)).rejects.toThrow(RangeError);
    await expect(backend.runRNet(new Float32Array(24 * 24 * 3), 2)).rejects.toThrow(RangeError);
    await expect(backend.runONet(new Float32Array(0), 0)).rejects.toThrow(RangeError);
  });
});

describe('backend lifecycle', () => {
  /** The real onnxruntime-node, recording the sessions it creates (and spying on their release). */
  async function recordingOrt(): Promise<{ ort: Ort; sessions: OrtSession[] }> {
    const real = await loadOrt('node');
    const sessions: OrtSession[] = [];
    const InferenceSession = {
      create: async (...args: Parameters<Ort['InferenceSession']['create']>) => {
        const s = await (real.InferenceSession.create as (...a: unknown[]) => Promise<OrtSession>)(...args);
        vi.spyOn(s, 'release');
        sessions.push(s);
        return s;
      },
    } as unknown as Ort['InferenceSession'];
    return { ort: { InferenceSession, Tensor: real.Tensor, env: real.env }, sessions };
  }

  it('creates one session per network and releases each once on dispose, idempotently', async () => {
    const { ort, sessions } = await recordingOrt();
    const backend = await createOnnxBackend({ ort, weights });
    expect(sessions).toHaveLength(3);
    await backend.runPNet(randomInput(1, 20 * 20 * 3), 20, 20);
    await backend.runRNet(randomInput(2, 24 * 24 * 3), 1);
    expect(sessions).toHaveLength(3); // runs reuse the sessions
    backend.dispose();
    backend.dispose();
    await backend.disposeAsync();
    for (const s of sessions) expect(s.release).toHaveBeenCalledTimes(1);
    // Really released: the runtime refuses to run them.
    const input = new ort.Tensor('float32', new Float32Array(3 * 24 * 24), [1, 3, 24, 24]);
    await expect(sessions[1].run({ input })).rejects.toThrow();
  });

  it(
    'gives a P-Net input size seen a second time its own session ' +
      '(static shapes), same outputs bit for bit, up to the cap',
    async () => {
      const { ort, sessions } = await recordingOrt();
      const backend = await createOnnxBackend({ ort, weights, staticPNetShapes: 2 });
      const plain = await createOnnxBackend({ ort: await loadOrt('node'), weights, staticPNetShapes: 0 });
      const level = randomInput(3, 37 * 41 * 3);
      const want = await plain.runPNet(level, 37, 41);
      for (let k = 0; k < 3; k++) {
        const got = await backend.runPNet(level, 37, 41);
        expect(got.logit).toEqual(want.logit);
        expect(got.reg).toEqual(want.reg);
      }
      expect(sessions).toHaveLength(4); // 37x41's own, from its second run on
      for (const [h, w] of [
        [20, 22],
        [21, 22],
      ])
        for (let k = 0; k < 2; k++) await backend.runPNet(randomInput(4, h * w * 3), h, w);
      expect(sessions).toHaveLength(5); // the cap (2) stops the third size
      await backend.disposeAsync();
      await plain.disposeAsync();
      for (const s of sessions) expect(s.release).toHaveBeenCalledTimes(1);
    },
  );

  it('rejects runs after dispose with MtcnnError DISPOSED', async () => {
    const backend = await createNodeOnnxBackend({ weights });
    backend.dispose();
    const e = await backend.runPNet(new Float32Array(12 * 12 * 3), 12, 12).catch((err: unknown) => err);
    expect(isMtcnnError(e, 'DISPOSED')).toBe(true);
    await expect(backend.runRNet(new Float32Array(24 * 24 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
    await expect(backend.runONet(new Float32Array(48 * 48 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
    await backend.disposeAsync();
  });

  it('lets a run in flight finish before releasing the sessions', async () => {
    const { ort, sessions } = await recordingOrt();
    const backend = await createOnnxBackend({ ort, weights });
    const crops = randomInput(7, 64 * 48 * 48 * 3);
    const running = backend.runONet(crops, 64);
    backend.dispose();
    const got = await running;
    const ref = await tfjs.runONet(crops, 64);
    expect(maxAbsDiff(got.landmarks, ref.landmarks)).toBeLessThan(TOL);
    await backend.disposeAsync();
    for (const s of sessions) expect(s.release).toHaveBeenCalledTimes(1);
  });

  it('releases what it created when a session cannot be created', async () => {
    const { ort, sessions } = await recordingOrt();
    const failing = {
      ...ort,
      InferenceSession: {
        create: (bytes: Uint8Array, options: object) =>
          sessions.length === 2
            ? Promise.reject(new Error('no more sessions'))
            : ort.InferenceSession.create(bytes, options),
      } as unknown as Ort['InferenceSession'],
    };
    await expect(createOnnxBackend({ ort: failing, weights })).rejects.toMatchObject({ code: 'BACKEND_FAILED' });
    expect(sessions).toHaveLength(2);
    for (const s of sessions) expect(s.release).toHaveBeenCalledTimes(1);
  });

  it('validates maxBatch', async () => {
    await expect(createOnnxBackend({ weights, maxBatch: { rnet: 0 } })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'maxBatch.rnet must be an integer >= 1, got 0',
    });
  });
});
