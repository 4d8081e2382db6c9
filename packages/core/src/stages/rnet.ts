import type { MtcnnBackend } from '../backend.js';
import { regressPlusOne, square, type Box, type Offsets } from '../box.js';
import { cropBatch } from '../crop.js';
import { exactOf, onPixelEdge } from '../edges.js';
import { f32 } from '../f32.js';
import type { RgbImage } from '../image.js';
import { areaSampler, type AreaSampler } from '../resample.js';
import { nms } from '../nms.js';
import { noScratch, type Scratch } from '../scratch.js';
import { tiesOf, type ResolvedOptions } from '../options.js';
import { faceProbabilities } from '../softmax.js';
import type { CropTrace } from '../trace.js';
import { inFlightOf } from '../serial.js';
import { runOnCrops } from './batch.js';
import type { PNetStageResult } from './pnet.js';

export const RNET_SIZE = 24;

export interface RNetStageResult {
  /** R-Net boxes above threshold. */
  passedCount: number;
  /** Boxes for O-Net: NMS survivors, regressed (+1) and squared, best first. */
  boxes: Box[];
  /** Their input index (into the boxes given to this stage). */
  ids: number[];
  /** Thresholding, NMS, regression and squaring, ms. */
  postMs: number;
  trace?: CropTrace[];
}

/** Stage 2: crop every P-Net box to 24x24 (batch.ts), R-Net, threshold (>), NMS, regress, square. */
export async function runRNetStage(
  backend: MtcnnBackend,
  image: RgbImage,
  input: readonly Box[],
  sources: readonly number[],
  opts: ResolvedOptions,
  withTrace: boolean,
  sampler: AreaSampler = areaSampler(image),
  scratch: Scratch = noScratch,
  exactInputs?: PNetStageResult['exactInputs'],
): Promise<RNetStageResult> {
  if (input.length === 0) return { passedCount: 0, boxes: [], ids: [], postMs: 0, trace: withTrace ? [] : undefined };
  const layout = backend.pixelLayout ?? 'hwc'; // crop straight into the backend's layout
  const { out, windows } = await runOnCrops(
    (d, n, l) => backend.runRNet(d, n, l),
    image,
    input,
    RNET_SIZE,
    opts.borderMode,
    sampler,
    layout,
    scratch,
    {
      depth: inFlightOf(backend),
      minChunk: 32,
      maxChunk: 256,
    },
  );
  const t0 = performance.now();
  const prob = faceProbabilities(out.logit, 'reciprocal');
  const thr = f32(opts.thresholds[1]);
  const passed: number[] = [];
  for (let i = 0; i < input.length; i++) if (prob[i] > thr) passed.push(i);
  const offsets = (i: number): Offsets => [out.reg[i * 4], out.reg[i * 4 + 1], out.reg[i * 4 + 2], out.reg[i * 4 + 3]];
  // NMS on the boxes R-Net saw (before its own regression), as the reference does.
  const r = nms(
    passed.map((i) => input[i]),
    passed.map((i) => prob[i]),
    opts.nmsThresholds[2],
    'union',
    { ties: tiesOf(opts) },
  );
  const ids = r.keep.map((k) => passed[k]);
  const regressed = ids.map((i) => regressPlusOne(input[i], offsets(i)));
  // Under the reference preset, a second backend recomputes the offsets behind each box that lands
  // on a pixel edge (edges.ts): P-Net's for its input box (`exactInputs`), then R-Net's on its crop.
  const exact = opts.preset === 'reference' ? exactOf(backend) : undefined;
  if (exact) {
    const edge = regressed.flatMap((b, k) => (onPixelEdge(square(b)) ? [k] : []));
    if (edge.length > 0) {
      const edgeIds = edge.map((k) => ids[k]);
      const boxesIn = exactInputs ? await exactInputs(edgeIds) : edgeIds.map((i) => input[i]);
      const { data } = cropBatch(image, boxesIn, RNET_SIZE, opts.borderMode, sampler, 'hwc');
      const e = await exact.runRNet(data, edge.length, 'hwc');
      edge.forEach((k, j) => {
        out.reg.set(e.reg.subarray(j * 4, j * 4 + 4), ids[k] * 4);
        regressed[k] = regressPlusOne(boxesIn[j], offsets(ids[k]));
      });
    }
  }
  const boxes = regressed.map(square);
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
      trace![i].nms = s ? { kept: false, by: passed[s.by], overlap: s.overlap } : { kept: true };
      trace![i].offsets = offsets(i);
    });
    ids.forEach((i, k) => {
      trace![i].regressed = regressed[k];
      trace![i].squared = boxes[k];
    });
  }
  return { passedCount: passed.length, boxes, ids, postMs, trace };
}
