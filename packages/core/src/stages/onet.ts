import type { MtcnnBackend } from '../backend.js';
import { regressPlusOne, type Box, type Offsets } from '../box.js';
import { add, f32, mul, sub } from '../f32.js';
import type { Point } from '../face.js';
import type { RgbImage } from '../image.js';
import { areaSampler, type AreaSampler } from '../resample.js';
import { nms } from '../nms.js';
import { noScratch, type Scratch } from '../scratch.js';
import { tiesOf, type ResolvedOptions } from '../options.js';
import { argsortNumpy } from '../argsort.js';
import { faceProbabilities } from '../softmax.js';
import type { CropTrace } from '../trace.js';
import { inFlightOf } from '../serial.js';
import { runOnCrops } from './batch.js';

export const ONET_SIZE = 48;

export interface ONetFace {
  /** Regressed box `[x1, y1, x2, y2]`. */
  box: Box;
  score: number;
  landmarks: Point[];
  /** Input index (into the boxes given to this stage). */
  id: number;
}

export interface ONetStageResult {
  /** O-Net boxes above threshold. */
  passedCount: number;
  /** Survivors of the final NMS, by box area, largest first (the reference's order). */
  faces: ONetFace[];
  /** Thresholding, landmarks, regression, NMS and ordering, ms. */
  postMs: number;
  trace?: CropTrace[];
}

/**
 * Landmarks from the box O-Net saw, before regression: `x1 + (x2 - x1 + 1) * p - 1` (same for y),
 * in float32 with the reference's operation order.
 */
export function landmarksFromBox(box: Box, rel: ArrayLike<number>, offset: number): Point[] {
  const w = add(sub(box[2], box[0]), 1);
  const h = add(sub(box[3], box[1]), 1);
  const pts: Point[] = [];
  for (let k = 0; k < 5; k++) {
    pts.push([sub(add(mul(w, rel[offset + k]), box[0]), 1), sub(add(mul(h, rel[offset + 5 + k]), box[1]), 1)]);
  }
  return pts;
}

/** Stage 3: crop to 48x48 (batch.ts), O-Net, threshold (>), landmarks, regress (+1), NMS "Min". */
export async function runONetStage(
  backend: MtcnnBackend,
  image: RgbImage,
  input: readonly Box[],
  sources: readonly number[],
  opts: ResolvedOptions,
  withTrace: boolean,
  sampler: AreaSampler = areaSampler(image),
  scratch: Scratch = noScratch,
): Promise<ONetStageResult> {
  if (input.length === 0) return { passedCount: 0, faces: [], postMs: 0, trace: withTrace ? [] : undefined };
  const layout = backend.pixelLayout ?? 'hwc'; // crop straight into the backend's layout
  const ties = tiesOf(opts);
  const { out, windows } = await runOnCrops(
    (d, n, l) => backend.runONet(d, n, l),
    image,
    input,
    ONET_SIZE,
    opts.borderMode,
    sampler,
    layout,
    scratch,
    {
      depth: inFlightOf(backend),
      minChunk: 8,
      maxChunk: 64,
    },
  );
  const t0 = performance.now();
  const prob = faceProbabilities(out.logit, 'reciprocal');
  const thr = f32(opts.thresholds[2]);
  const passed: number[] = [];
  for (let i = 0; i < input.length; i++) if (prob[i] > thr) passed.push(i);
  const offsets = (i: number): Offsets => [out.reg[i * 4], out.reg[i * 4 + 1], out.reg[i * 4 + 2], out.reg[i * 4 + 3]];
  const landmarks = passed.map((i) => landmarksFromBox(input[i], out.landmarks, i * 10));
  const regressed = passed.map((i) => regressPlusOne(input[i], offsets(i)));
  const r = nms(
    regressed,
    passed.map((i) => prob[i]),
    opts.nmsThresholds[3],
    'min',
    { ties },
  );
  const area = (b: Box): number => mul(sub(b[2], b[0]), sub(b[3], b[1]));
  // Largest first, as the reference's np.argsort(areas)[::-1] over the NMS order: equal areas come
  // in the reverse of numpy's introsort order (reference preset) or of the NMS order (stable).
  const areas = Float32Array.from(r.keep, (k) => area(regressed[k]));
  const ascending =
    ties === 'reference'
      ? Array.from(argsortNumpy(areas))
      : r.keep.map((_, pos) => pos).sort((p, q) => areas[p] - areas[q] || p - q);
  const order = ascending.reverse().map((pos) => r.keep[pos]);
  const faces = order.map((k) => ({
    box: regressed[k],
    score: prob[passed[k]],
    landmarks: landmarks[k],
    id: passed[k],
  }));
  const postMs = performance.now() - t0;
  let trace: CropTrace[] | undefined;
  if (withTrace) {
    trace = input.map((box, i) => ({
      id: i,
      source: sources[i],
      box,
      window: windows[i],
      score: prob[i],
      logit: out.logit[i],
      passed: prob[i] > thr,
    }));
    passed.forEach((i, k) => {
      const s = r.suppressedBy[k];
      Object.assign(trace![i], {
        nms: s ? { kept: false, by: passed[s.by], overlap: s.overlap } : { kept: true },
        offsets: offsets(i),
        regressed: regressed[k],
        landmarks: landmarks[k],
      });
    });
  }
  return { passedCount: passed.length, faces, postMs, trace };
}
