import type { MtcnnBackend, PNetOutput } from '../backend.js';
import { regressPNet, square, type Box, type Offsets } from '../box.js';
import { exactOf, onPixelEdge, pnetOffsetsOf, pnetWindow, type PNetWindow } from '../edges.js';
import { f32 } from '../f32.js';
import type { RgbImage } from '../image.js';
import { nms } from '../nms.js';
import { tiesOf, type ResolvedOptions } from '../options.js';
import { levelSize, pyramidScales } from '../pyramid.js';
import { faceProbabilities, faceProbability, logitLowerBound } from '../softmax.js';
import { noScratch, type Scratch } from '../scratch.js';
import { inFlightOf } from '../serial.js';
import { areaSampler, resampleImage, type AreaSampler } from '../resample.js';
import type { LevelTrace, PNetCandidateTrace } from '../trace.js';

/** A P-Net cell at or above threshold, mapped back to the image. */
export interface PNetCandidate {
  level: number;
  cell: [number, number];
  box: Box;
  score: number;
  offsets: Offsets;
}

/**
 * The 12x12 window of P-Net cell (x, y) at `scale`, mapped back to image pixels:
 * `floor((2x + 1) / s)` .. `floor((2x + 12) / s)`, the division in float32 (pipeline step 5, docs/architecture.md).
 */
export function cellBox(x: number, y: number, scale: number): Box {
  const s = f32(scale);
  return [
    Math.floor(f32((2 * x + 1) / s)),
    Math.floor(f32((2 * y + 1) / s)),
    Math.floor(f32((2 * x + 12) / s)),
    Math.floor(f32((2 * y + 12) / s)),
  ];
}

/**
 * The `k`-th largest of `values` (1-based, k <= length), by quickselect: O(n) on average, and
 * `values` is reordered. Used to cap a level's candidates without sorting millions of scores.
 */
export function kthLargest(values: Float32Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1; // index in descending order
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target];
  }
  return values[target];
}

/**
 * Cells of one level whose face probability (from the logit map, softmax.ts) is at or above
 * `threshold` (compared in float32, like the reference's tensor comparison), in row-major order,
 * each with its window (`cellBox`). With more than `max` such cells, only the `max`
 * highest-scoring are listed (ties broken by row-major order), still in row-major order: a low
 * threshold on a large image would otherwise make millions of candidates (options.ts,
 * `maxCandidatesPerLevel`). `passing`, if given, receives how many cells were at or above the
 * threshold before the cap.
 */
export function pnetCandidates(
  out: PNetOutput,
  scale: number,
  level: number,
  threshold: number,
  max = Number.POSITIVE_INFINITY,
  passing?: { count: number },
): PNetCandidate[] {
  const thr = f32(threshold);
  const bound = logitLowerBound(threshold); // most cells are far below: no exponential for them
  const cands: PNetCandidate[] = [];
  const { logit, reg, width } = out;
  // The cells past the bound, then those whose probability passes, compacted in place (row-major),
  // so that each probability is computed once and the cap can look at all of them.
  let near = 0;
  for (let i = 0; i < logit.length; i++) if (logit[i] >= bound) near++;
  const cells = new Int32Array(near);
  const probs = new Float32Array(near);
  let count = 0;
  for (let i = 0; i < logit.length; i++) {
    if (!(logit[i] >= bound)) continue;
    const p = faceProbability(logit[i], 'divide');
    if (!(p >= thr)) continue;
    cells[count] = i;
    probs[count++] = p;
  }
  if (passing) passing.count = count;
  // Above the cap: keep scores > the max-th largest, then cells equal to it in row-major order.
  let floor = thr;
  let equalLeft = Number.POSITIVE_INFINITY;
  if (count > max) {
    floor = kthLargest(probs.slice(0, count), max);
    let above = 0;
    for (let j = 0; j < count; j++) if (probs[j] > floor) above++;
    equalLeft = max - above;
  }
  for (let j = 0; j < count; j++) {
    const p = probs[j];
    if (!(p >= floor)) continue;
    if (p === floor && count > max && equalLeft-- <= 0) continue;
    const i = cells[j];
    const x = i % width;
    const y = (i - x) / width;
    cands.push({
      level,
      cell: [x, y],
      box: cellBox(x, y, scale),
      score: p,
      offsets: [reg[i * 4], reg[i * 4 + 1], reg[i * 4 + 2], reg[i * 4 + 3]],
    });
  }
  return cands;
}

export interface PNetStageResult {
  scales: number[];
  /** Cells at or above threshold over all levels, kept (at most `maxCandidatesPerLevel` a level). */
  candidateCount: number;
  /** Cells at or above threshold left out by `maxCandidatesPerLevel`, over all levels (0 normally). */
  droppedCount: number;
  /** Boxes for R-Net: regressed and squared survivors of both NMS rounds, best first. */
  boxes: Box[];
  /** Their P-Net scores. */
  scores: number[];
  /** Their candidate ids (index over all levels' candidates, in level order). */
  ids: number[];
  pyramidMs: number;
  /** Thresholding, NMS, regression and squaring, ms. */
  postMs: number;
  trace?: { levels: LevelTrace[]; candidates: PNetCandidateTrace[] };
  /**
   * Under the `reference` preset with an exact backend (edges.ts): `boxes[j]` for each index `j`
   * recomputed from the exact backend's P-Net offsets (and updated in `boxes`).
   */
  exactInputs?: (indices: readonly number[]) => Promise<Box[]>;
}

/**
 * Stage 1: resample each pyramid level, run P-Net on it, threshold, NMS per level; then NMS
 * across levels, regression (no +1) and squaring.
 */
export async function runPNetStage(
  backend: MtcnnBackend,
  image: RgbImage,
  opts: ResolvedOptions,
  withTrace: boolean,
  checkpoint: () => void,
  sampler: AreaSampler = areaSampler(image),
  scratch: Scratch = noScratch,
): Promise<PNetStageResult> {
  const scales = pyramidScales(image.height, image.width, opts.minFaceSize, opts.scaleFactor);
  const layout = backend.pixelLayout ?? 'hwc'; // resample straight into the backend's layout
  const [scaleIou, crossIou] = opts.nmsThresholds;
  const ties = tiesOf(opts);
  let pyramidMs = 0;
  let postMs = 0;
  // Only the survivors of each level's NMS are kept (with their ids over all candidates): the
  // others are never needed again, unless traced.
  let candidateCount = 0;
  let droppedCount = 0;
  const kept: PNetCandidate[] = [];
  const scaleKept: number[] = [];
  const levels: LevelTrace[] = [];
  const traced: PNetCandidateTrace[] = [];
  // Levels in flight at once: with a backend computing elsewhere, level k + 1 is resampled while
  // level k runs; with one computing here (inFlight 1), each level is awaited before the next.
  const depth = inFlightOf(backend);
  // Under the reference preset, a second backend recomputes the offsets of survivors whose box lands on
  // a pixel edge (edges.ts), from the level's pixels: the level is kept until its post-processing,
  // which copies each survivor's window (`cellWindows`, parallel to `kept`).
  const exact = opts.preset === 'reference' ? exactOf(backend) : undefined;
  const cellWindows: PNetWindow[] = [];
  const pending: { k: number; height: number; width: number; level: Float32Array; run: Promise<PNetOutput> }[] = [];
  /** Thresholds and NMS of the oldest level in flight (levels are post-processed in order). */
  const postNext = async (): Promise<void> => {
    const { k, height, width, level, run } = pending.shift()!;
    // Under the reference preset this call owns the level now: back once its windows are copied, or on failure.
    const out = await run.catch((e: unknown) => {
      if (exact) scratch.give(level);
      throw e;
    });
    const t1 = performance.now();
    const passing = { count: 0 };
    const cands = pnetCandidates(out, scales[k], k, opts.thresholds[0], opts.maxCandidatesPerLevel, passing);
    const r = nms(
      cands.map((c) => c.box),
      cands.map((c) => c.score),
      scaleIou,
      'union',
      { ties },
    );
    if (exact) {
      // The 12x12 window of each survivor, for the exact backend later (the level goes back now).
      for (const i of r.keep)
        cellWindows.push(pnetWindow(level, height, width, layout, cands[i].cell[0], cands[i].cell[1]));
      scratch.give(level);
    }
    const offset = candidateCount;
    for (const i of r.keep) {
      scaleKept.push(offset + i);
      kept.push(cands[i]);
    }
    candidateCount += cands.length;
    droppedCount += passing.count - cands.length;
    postMs += performance.now() - t1;
    if (withTrace) {
      levels.push({
        index: k,
        scale: scales[k],
        height,
        width,
        mapHeight: out.height,
        mapWidth: out.width,
        prob: Array.from(faceProbabilities(out.logit, 'divide')),
        candidates: cands.length,
        afterNms: r.keep.length,
        ...(passing.count > cands.length ? { dropped: passing.count - cands.length } : {}),
      });
      cands.forEach((c, i) => {
        const s = r.suppressedBy[i];
        traced.push({
          id: offset + i,
          level: k,
          cell: c.cell,
          box: c.box,
          score: c.score,
          logit: out.logit[c.cell[1] * out.width + c.cell[0]],
          offsets: c.offsets,
          regressed: regressPNet(c.box, c.offsets),
          scaleNms: s ? { kept: false, by: offset + s.by, overlap: s.overlap } : { kept: true },
        });
      });
    }
  };
  try {
    for (let k = 0; k < scales.length; k++) {
      checkpoint();
      const { height, width } = levelSize(image.height, image.width, scales[k]);
      const t0 = performance.now();
      const level = resampleImage(image, width, height, sampler, layout, scratch);
      pyramidMs += performance.now() - t0;
      // The backend is done with its input once the run settles.
      const run = backend.runPNet(level, height, width, layout).finally(() => {
        if (!exact) scratch.give(level);
      });
      run.catch(() => undefined); // awaited (and its error thrown) in postNext, or settled on abort
      pending.push({ k, height, width, level, run });
      while (pending.length >= depth) await postNext();
    }
    while (pending.length > 0) await postNext();
  } catch (e) {
    // Stopped (abort, dispose, a failed run): let the runs in flight settle before returning, so
    // that nothing still works on this detection's buffers.
    await Promise.allSettled(pending.map((p) => p.run));
    // Levels never post-processed (kept for their windows under the reference preset) go back too.
    if (exact) for (const p of pending) scratch.give(p.level);
    throw e;
  }
  // Across levels: the per-level survivors, level by level, each level best first.
  const t2 = performance.now();
  const cross = nms(
    kept.map((c) => c.box),
    kept.map((c) => c.score),
    crossIou,
    'union',
    { ties },
  );
  const ids = cross.keep.map((i) => scaleKept[i]);
  const boxes = cross.keep.map((i) => square(regressPNet(kept[i].box, kept[i].offsets)));
  postMs += performance.now() - t2;
  if (withTrace) {
    scaleKept.forEach((id, i) => {
      const s = cross.suppressedBy[i];
      traced[id].crossNms = s ? { kept: false, by: scaleKept[s.by], overlap: s.overlap } : { kept: true };
    });
    ids.forEach((id, i) => {
      traced[id].squared = boxes[i];
    });
  }
  // Under the reference preset: the exact backend's offsets for the boxes on a pixel edge now, and
  // for any other box on request (R-Net's boxes on an edge, rnet.ts), each box recomputed once.
  let exactInputs: ((indices: readonly number[]) => Promise<Box[]>) | undefined;
  if (exact) {
    const done = new Set<number>();
    exactInputs = async (indices) => {
      const todo = [...new Set(indices)].filter((j) => !done.has(j));
      const offsets = await pnetOffsetsOf(
        exact,
        todo.map((j) => cellWindows[cross.keep[j]]),
      );
      todo.forEach((j, t) => {
        done.add(j);
        const c = kept[cross.keep[j]];
        c.offsets = [offsets[t][0], offsets[t][1], offsets[t][2], offsets[t][3]];
        boxes[j] = square(regressPNet(c.box, c.offsets));
        if (withTrace) {
          const tr = traced[ids[j]];
          tr.offsets = c.offsets;
          tr.regressed = regressPNet(c.box, c.offsets);
          tr.squared = boxes[j];
        }
      });
      return indices.map((j) => boxes[j]);
    };
    await exactInputs(boxes.flatMap((b, j) => (onPixelEdge(b) ? [j] : [])));
  }
  return {
    scales,
    candidateCount,
    droppedCount,
    boxes,
    scores: cross.keep.map((i) => kept[i].score),
    ids,
    pyramidMs,
    postMs,
    trace: withTrace ? { levels, candidates: traced } : undefined,
    exactInputs,
  };
}
