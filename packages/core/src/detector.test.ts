import { describe, expect, it } from 'vitest';
import { pnetOutputSize, type MtcnnBackend, type ONetOutput, type PNetOutput, type RNetOutput } from './backend.js';
import { createDetector } from './detector.js';
import { MtcnnError } from './errors.js';
import type { PixelData } from './image.js';
import { logitOf } from './softmax.test-util.js';

/**
 * A deterministic fake backend for a 40x40 image at minFaceSize 12 (scales 1, 0.709, 0.709^2, 0.709^3;
 * level 0 is 41x41, map 16x16):
 * - P-Net, level 0 only: A = cell (0, 0) p 0.9 -> box [1, 1, 12, 12]; B = (1, 0) p 0.8 -> [3, 1, 14, 12]
 *   (IoU with A 99/143 > 0.5: dropped per level); C = (10, 10) p 0.7 -> [21, 21, 32, 32]. Offsets 0, so
 *   R-Net sees A and C unchanged (already square), best first.
 * - R-Net: 0.8 for every crop, offsets 0: both pass and survive (disjoint).
 * - O-Net: crop 0 (A) 0.95 with dx1 = 0.5, crop 1 (C) 0.6 (dropped). Landmarks of A relative
 *   (0.25, 0.75, 0.5, 0.25, 0.75 | 0.25, 0.25, 0.5, 0.75, 0.75).
 * Expected face: A regressed with +1 (w + 1 = 12): x1 = 1 + 6 = 7 -> [7, 1, 12, 12]; landmarks from the
 * box before regression: 1 + 12p - 1 = 12p -> (3,3) (9,3) (6,6) (3,9) (9,9).
 */
function fakeBackend() {
  const calls = { pnet: [] as Array<[number, number]>, rnet: [] as number[], onet: [] as number[], dispose: 0 };
  const hooks: { afterPNet?: () => void } = {};
  const backend: MtcnnBackend = {
    name: 'fake',
    async runPNet(level, height, width): Promise<PNetOutput> {
      expect(level).toHaveLength(height * width * 3);
      calls.pnet.push([height, width]);
      hooks.afterPNet?.();
      const h = pnetOutputSize(height);
      const w = pnetOutputSize(width);
      const logit = new Float32Array(h * w).fill(-Infinity);
      if (height === 41) {
        logit[0] = logitOf(0.9);
        logit[1] = logitOf(0.8);
        logit[10 * w + 10] = logitOf(0.7);
      }
      return { logit, reg: new Float32Array(h * w * 4), height: h, width: w };
    },
    async runRNet(crops, count): Promise<RNetOutput> {
      expect(crops).toHaveLength(count * 24 * 24 * 3);
      calls.rnet.push(count);
      return { logit: new Float32Array(count).fill(logitOf(0.8)), reg: new Float32Array(count * 4) };
    },
    async runONet(crops, count): Promise<ONetOutput> {
      expect(crops).toHaveLength(count * 48 * 48 * 3);
      calls.onet.push(count);
      const logit = new Float32Array(count).fill(logitOf(0.6));
      logit[0] = logitOf(0.95);
      const reg = new Float32Array(count * 4);
      reg[0] = 0.5;
      const landmarks = new Float32Array(count * 10);
      landmarks.set([0.25, 0.75, 0.5, 0.25, 0.75, 0.25, 0.25, 0.5, 0.75, 0.75]);
      return { logit, reg, landmarks };
    },
    dispose() {
      calls.dispose++;
    },
  };
  return { backend, calls, hooks };
}

/** 40x40 grey image (1 channel): goes through toRgbImage. */
const image = (): PixelData => ({ data: new Uint8Array(40 * 40).fill(128), width: 40, height: 40 });

const KEYPOINTS = { left_eye: [3, 3], right_eye: [9, 3], nose: [6, 6], mouth_left: [3, 9], mouth_right: [9, 9] };

async function rejection(p: Promise<unknown>): Promise<MtcnnError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MtcnnError);
  return e as MtcnnError;
}

/** Only plain objects, arrays, finite numbers, strings and booleans (no typed arrays, NaN, -0...). */
function isPlainJson(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v === 'string' || typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.every(isPlainJson);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v).every((x) => x === undefined || isPlainJson(x));
  }
  return false;
}

describe('createDetector plumbing (fake backend)', () => {
  it('runs the three stages with the expected counts and face (xywh by default)', async () => {
    const { backend, calls } = fakeBackend();
    const det = createDetector(backend, { minFaceSize: 12 });
    const report = await det.detectWithStats(image());
    expect(calls.pnet).toEqual([
      [41, 41],
      [29, 29],
      [21, 21],
      [15, 15],
    ]);
    expect(calls.rnet).toEqual([2]);
    expect(calls.onet).toEqual([2]);
    expect(report.counts).toEqual({ scales: 4, pnet: 3, pnetNms: 2, rnet: 2, rnetNms: 2, onet: 1, faces: 1 });
    expect(report.faces).toEqual([{ box: [7, 1, 5, 11], confidence: Math.fround(0.95), keypoints: KEYPOINTS }]);
    for (const k of ['pyramid', 'pnet', 'rnet', 'onet', 'post', 'total'] as const)
      expect(report.timings[k]).toBeGreaterThanOrEqual(0);
    expect(report.trace).toBeUndefined();
    expect('trace' in report).toBe(false);
    // detect() gives the same faces.
    expect(await det.detect(image())).toEqual(report.faces);
  });

  it("boxFormat 'xyxy' gives [x1, y1, x2, y2]; the reference preset runs the same plumbing", async () => {
    const xyxy = await createDetector(fakeBackend().backend, { minFaceSize: 12, boxFormat: 'xyxy' }).detect(image());
    expect(xyxy).toEqual([{ box: [7, 1, 12, 12], confidence: Math.fround(0.95), keypoints: KEYPOINTS }]);
    const ref = await createDetector(fakeBackend().backend, { minFaceSize: 12, preset: 'reference' }).detect(image());
    expect(ref).toEqual([{ box: [7, 1, 5, 11], confidence: Math.fround(0.95), keypoints: KEYPOINTS }]);
  });

  it('skips R-Net and O-Net when nothing passes, and P-Net too for an image below one window', async () => {
    const { backend, calls } = fakeBackend();
    const report = await createDetector(backend).detectWithStats({
      data: new Uint8Array(10 * 10 * 3),
      width: 10,
      height: 10,
    });
    expect(report.faces).toEqual([]);
    expect(report.counts).toEqual({ scales: 0, pnet: 0, pnetNms: 0, rnet: 0, rnetNms: 0, onet: 0, faces: 0 });
    expect(calls).toMatchObject({ pnet: [], rnet: [], onet: [] });
  });

  it('returns a JSON-serialisable trace only when asked', async () => {
    const det = createDetector(fakeBackend().backend, { minFaceSize: 12 });
    const report = await det.detectWithStats(image(), { trace: true });
    const t = report.trace!;
    expect(t).toBeDefined();
    expect(isPlainJson(t)).toBe(true);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    expect(t.image).toEqual({ width: 40, height: 40 });
    expect(t.options).toEqual(det.options);
    expect(t.counts).toEqual(report.counts);
    expect(t.faces).toEqual(report.faces);
    expect(t.pyramid).toHaveLength(4);
    expect(t.pnet.candidates).toHaveLength(3);
    expect(t.rnet.inputs).toHaveLength(2);
    expect(t.onet.inputs).toHaveLength(2);
    // R-Net inputs come from P-Net candidates A (id 0) and C (id 2); O-Net inputs from R-Net inputs 0 and 1.
    expect(t.rnet.inputs.map((c) => c.source)).toEqual([0, 2]);
    expect(t.onet.inputs.map((c) => c.source)).toEqual([0, 1]);
    expect(t.onet.inputs[0].landmarks).toEqual(Object.values(KEYPOINTS));
    // The one face is O-Net input 0 (the visualizer follows a face back through these links).
    expect(t.faceSources).toEqual([0]);
    // Each score keeps the logit it came from (the backend's output, as given).
    expect(t.pnet.candidates.map((c) => c.logit)).toEqual([0.9, 0.8, 0.7].map((p) => Math.fround(logitOf(p))));
    expect(t.rnet.inputs.map((c) => c.logit)).toEqual([0.8, 0.8].map((p) => Math.fround(logitOf(p))));
    expect(t.onet.inputs.map((c) => c.logit)).toEqual([0.95, 0.6].map((p) => Math.fround(logitOf(p))));
    expect((await det.detectWithStats(image(), { trace: false })).trace).toBeUndefined();
  });

  it('rejects with DISPOSED after dispose(), which disposes the backend once', async () => {
    const { backend, calls } = fakeBackend();
    const det = createDetector(backend, { minFaceSize: 12 });
    det.dispose();
    det.dispose();
    expect(calls.dispose).toBe(1);
    expect((await rejection(det.detect(image()))).code).toBe('DISPOSED');
    expect((await rejection(det.detectWithStats(image()))).code).toBe('DISPOSED');
    expect(calls.pnet).toEqual([]);
  });

  it('stops with DISPOSED when disposed during a detection', async () => {
    const { backend, calls, hooks } = fakeBackend();
    const det = createDetector(backend, { minFaceSize: 12 });
    hooks.afterPNet = () => det.dispose();
    expect((await rejection(det.detect(image()))).code).toBe('DISPOSED');
    expect(calls.pnet).toHaveLength(1);
  });

  it('rejects with ABORTED for an already-aborted signal, without running a network', async () => {
    const { backend, calls } = fakeBackend();
    const ac = new AbortController();
    ac.abort('stop');
    const e = await rejection(createDetector(backend, { minFaceSize: 12 }).detect(image(), { signal: ac.signal }));
    expect(e.code).toBe('ABORTED');
    expect(e.cause).toBe('stop');
    expect(calls).toMatchObject({ pnet: [], rnet: [], onet: [] });
  });

  it('stops with ABORTED between pyramid levels when aborted mid-way', async () => {
    const { backend, calls, hooks } = fakeBackend();
    const ac = new AbortController();
    hooks.afterPNet = () => ac.abort();
    const e = await rejection(createDetector(backend, { minFaceSize: 12 }).detect(image(), { signal: ac.signal }));
    expect(e.code).toBe('ABORTED');
    expect(calls.pnet).toHaveLength(1);
    expect(calls.rnet).toEqual([]);
  });

  it('rejects with INVALID_IMAGE for bad pixels and throws INVALID_OPTION for bad options', async () => {
    const det = createDetector(fakeBackend().backend);
    expect((await rejection(det.detect({ data: new Uint8Array(7), width: 2, height: 2 }))).code).toBe('INVALID_IMAGE');
    for (const bad of [{ minFaceSize: 5 }, { scaleFactor: 1 }]) {
      let thrown: unknown;
      try {
        createDetector(fakeBackend().backend, bad);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(MtcnnError);
      expect((thrown as MtcnnError).code).toBe('INVALID_OPTION');
    }
  });

  it('refuses what is not a backend (createDetector([]) was accepted) with INVALID_OPTION', () => {
    const { backend } = fakeBackend();
    for (const bad of [[], null, undefined, 42, 'onnx', {}, { ...backend, runRNet: undefined }]) {
      let thrown: unknown;
      try {
        createDetector(bad as unknown as MtcnnBackend);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, JSON.stringify(bad)).toBeInstanceOf(MtcnnError);
      expect((thrown as MtcnnError).code).toBe('INVALID_OPTION');
      expect((thrown as MtcnnError).message).toContain('runPNet, runRNet, runONet and dispose');
    }
  });

  it(
    '100 concurrent calls disposed mid-way all reject ' + 'DISPOSED, and no network call starts after dispose()',
    async () => {
      const { backend, calls, hooks } = fakeBackend();
      const det = createDetector(backend, { minFaceSize: 12 });
      let atDispose = -1;
      hooks.afterPNet = () => {
        if (calls.pnet.length === 3) {
          det.dispose();
          atDispose = calls.pnet.length;
        }
      };
      const all = Array.from({ length: 100 }, () => det.detect(image()));
      const settled = await Promise.allSettled(all);
      expect(settled.every((r) => r.status === 'rejected' && (r.reason as MtcnnError).code === 'DISPOSED')).toBe(true);
      // The calls queued for the backend were rejected by dispose() itself, not one level each later.
      expect(calls.pnet).toHaveLength(atDispose);
      expect(calls.rnet).toEqual([]);
    },
  );
});
