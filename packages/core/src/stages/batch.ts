import type { PixelLayout } from '../backend.js';
import type { Box } from '../box.js';
import { cropBatch } from '../crop.js';
import type { RgbImage } from '../image.js';
import type { BorderMode } from '../options.js';
import type { AreaSampler, Window } from '../resample.js';
import type { Scratch } from '../scratch.js';

/** One network over a batch of crops (`runRNet` / `runONet` of a backend). */
export type CropRun<T> = (crops: Float32Array, count: number, layout: PixelLayout) => Promise<T>;

/**
 * Largest crop batch handed to one network call, in bytes (64 MiB: 9,709 R-Net or 2,427 O-Net
 * crops). A low threshold on a large image can send hundreds of thousands of boxes to R-Net; in
 * one batch that would be gigabytes.
 */
export const CROP_BATCH_BYTES = 64 * 2 ** 20;

export interface CropBatchPlan {
  /**
   * Calls kept in flight (the backend's `inFlight`); 1 = one call with every crop, as it always
   * was, up to `maxBatch` crops a call.
   */
  depth: number;
  /** Crops per call when `depth` > 1: at least this many ... */
  minChunk: number;
  /** ... and at most this many. */
  maxChunk: number;
  /** With `depth` 1, crops a call at most; default `CROP_BATCH_BYTES` worth. */
  maxBatch?: number;
}

/**
 * Crops every box to `size` x `size` (crop.ts) and runs the network on them. With `depth` 1, one
 * batch and one call. With more, the boxes go in chunks, about `2 * depth` of them: the next
 * chunk is cropped while earlier ones run, and a backend with several threads runs chunks side by
 * side. Each crop's values do not depend on the chunking; the outputs are concatenated in box order.
 */
export async function runOnCrops<T extends object>(
  run: CropRun<T>,
  image: RgbImage,
  boxes: readonly Box[],
  size: number,
  mode: BorderMode,
  sampler: AreaSampler,
  layout: PixelLayout,
  scratch: Scratch,
  plan: CropBatchPlan,
): Promise<{ out: T; windows: Window[] }> {
  const count = boxes.length;
  const maxBatch = plan.maxBatch ?? Math.max(1, Math.floor(CROP_BATCH_BYTES / (size * size * 3 * 4)));
  const chunk =
    plan.depth <= 1
      ? Math.min(count, maxBatch)
      : Math.min(plan.maxChunk, Math.max(plan.minChunk, Math.ceil(count / (2 * plan.depth))));
  const windows: Window[] = [];
  const parts: { at: number; n: number; run: Promise<T> }[] = [];
  const outs: { at: number; n: number; out: T }[] = [];
  try {
    for (let at = 0; at < count; at += chunk) {
      const n = Math.min(chunk, count - at);
      const { data, windows: w } = cropBatch(image, boxes.slice(at, at + n), size, mode, sampler, layout, scratch);
      windows.push(...w);
      const p = run(data, n, layout).finally(() => scratch.give(data));
      p.catch(() => undefined); // awaited below, or settled on failure
      parts.push({ at, n, run: p });
      while (parts.length >= plan.depth) {
        const first = parts.shift()!;
        outs.push({ at: first.at, n: first.n, out: await first.run });
      }
    }
    while (parts.length > 0) {
      const first = parts.shift()!;
      outs.push({ at: first.at, n: first.n, out: await first.run });
    }
  } catch (e) {
    await Promise.allSettled(parts.map((p) => p.run));
    throw e;
  }
  if (outs.length === 1) return { out: outs[0].out, windows };
  // Concatenate every output array (prob, reg, landmarks: `n * width` values per part).
  const merged: Record<string, Float32Array> = {};
  for (const key of Object.keys(outs[0].out) as (keyof T & string)[]) {
    const width = (outs[0].out[key] as unknown as Float32Array).length / outs[0].n;
    const all = new Float32Array(count * width);
    for (const o of outs) all.set(o.out[key] as unknown as Float32Array, o.at * width);
    merged[key] = all;
  }
  return { out: merged as unknown as T, windows };
}
