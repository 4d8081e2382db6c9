import { createDetector, type DetectorOptions, type MtcnnBackend, type RgbImage } from '@mtcnn/core';
import { pnetOutputSize } from '@mtcnn/core/backend-kit';
import type { VizInput } from './model.js';

/**
 * A small fixed trace for the renderer tests: a 60x40 image and a deterministic fake backend
 * (P-Net likes windows centred near (30, 20); R-Net / O-Net scores cycle through fixed values),
 * run through the real core so the trace has exactly the core's shape and decisions.
 */
export const FIXTURE_IMAGE: RgbImage = (() => {
  const w = 60;
  const h = 40;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x * 4, y * 6, 128], (y * w + x) * 3);
  return { data, width: w, height: h };
})();

const RNET_SCORES = [0.95, 0.2, 0.9, 0.85, 0.1];
/** Backends return face logits (the core computes probabilities from them). */
const logitOf = (p: number): number => (p <= 0 ? -Infinity : Math.log(p / (1 - p)));
const ONET_SCORES = [0.99, 0.4, 0.92];

export function fakeBackend(calls = { pnet: 0, rnet: 0, onet: 0 }): MtcnnBackend & { calls: typeof calls } {
  return {
    name: 'fake',
    calls,
    async runPNet(_level, height, width) {
      calls.pnet++;
      const mh = pnetOutputSize(height);
      const mw = pnetOutputSize(width);
      const s = (width - 1) / 60; // ~ the level's scale
      const logit = new Float32Array(mh * mw);
      const reg = new Float32Array(mh * mw * 4);
      for (let y = 0; y < mh; y++) {
        for (let x = 0; x < mw; x++) {
          const cx = (2 * x + 6) / s;
          const cy = (2 * y + 6) / s;
          const d = Math.hypot(cx - 30, cy - 20) * s;
          logit[y * mw + x] = logitOf(Math.max(0, 0.98 - d / 12));
          reg.set([0.05, 0.02, -0.03, 0.04], (y * mw + x) * 4);
        }
      }
      return { logit, reg, height: mh, width: mw };
    },
    async runRNet(_crops, count) {
      calls.rnet++;
      const logit = Float32Array.from({ length: count }, (_, i) => logitOf(RNET_SCORES[i % RNET_SCORES.length]));
      return { logit, reg: new Float32Array(count * 4).fill(0.01) };
    },
    async runONet(_crops, count) {
      calls.onet++;
      const logit = Float32Array.from({ length: count }, (_, i) => logitOf(ONET_SCORES[i % ONET_SCORES.length]));
      const landmarks = new Float32Array(count * 10);
      for (let i = 0; i < count; i++) landmarks.set([0.3, 0.7, 0.5, 0.35, 0.65, 0.4, 0.4, 0.6, 0.8, 0.8], i * 10);
      return { logit, reg: new Float32Array(count * 4).fill(-0.02), landmarks };
    },
    dispose() {},
  };
}

/** Looser NMS than the default so that the small fixture has suppressions in every round. */
export const FIXTURE_OPTIONS = { nmsThresholds: [0.5, 0.5, 0.4, 0.7] } as const;

export async function fixtureInput(options: DetectorOptions = {}, image: RgbImage = FIXTURE_IMAGE): Promise<VizInput> {
  const detector = createDetector(fakeBackend(), { ...FIXTURE_OPTIONS, ...options });
  const report = await detector.detectWithStats(image, { trace: true });
  return { trace: report.trace!, image: { href: 'data:image/png;base64,', name: 'fixture' }, run: { backend: 'fake' } };
}
