import { add, div, f32, mul, sub } from './f32.js';
import type { Box } from './box.js';

/**
 * Greedy non-maximum suppression in the two flavours MTCNN uses (SPEC §2.6, §2.10):
 * - `union`: IoU with areas `(x2-x1)*(y2-y1)` (no +1), suppress when IoU > threshold; the order is
 *   a stable sort by score, descending (torchvision's `nms`).
 * - `min`: overlap = intersection / min(area) with +1 in areas and intersection, keep while
 *   overlap <= threshold (in float32); highest score first, ties taken from the later index (the
 *   reference's numpy `nms`, which walks an ascending argsort from its end).
 * All arithmetic in float32, like the reference's tensors.
 */
export type NmsMethod = 'union' | 'min';

export interface NmsResult {
  /** Indices kept, highest score first. */
  keep: number[];
  /** For each input index: the index of the box that suppressed it and their overlap, or undefined if kept. */
  suppressedBy: Array<{ by: number; overlap: number } | undefined>;
}

export function nms(boxes: readonly Box[], scores: ArrayLike<number>, threshold: number, method: NmsMethod): NmsResult {
  const n = boxes.length;
  const order = Array.from({ length: n }, (_, i) => i);
  if (method === 'union') {
    order.sort((a, b) => scores[b] - scores[a] || a - b);
  } else {
    order.sort((a, b) => scores[b] - scores[a] || b - a);
  }
  const plusOne = method === 'min' ? 1 : 0;
  const areas = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = boxes[i];
    areas[i] = mul(add(sub(b[2], b[0]), plusOne), add(sub(b[3], b[1]), plusOne));
  }
  // torchvision compares the float IoU with the double threshold; numpy casts it to float32.
  const thr = method === 'union' ? threshold : f32(threshold);
  const suppressed = new Uint8Array(n);
  const suppressedBy: NmsResult['suppressedBy'] = new Array(n).fill(undefined);
  const keep: number[] = [];
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi];
    if (suppressed[i]) continue;
    keep.push(i);
    const bi = boxes[i];
    const ai = areas[i];
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj];
      if (suppressed[j]) continue;
      const bj = boxes[j];
      const w = Math.max(0, add(sub(Math.min(bi[2], bj[2]), Math.max(bi[0], bj[0])), plusOne));
      const h = Math.max(0, add(sub(Math.min(bi[3], bj[3]), Math.max(bi[1], bj[1])), plusOne));
      const inter = mul(w, h);
      const overlap = method === 'union' ? div(inter, sub(add(ai, areas[j]), inter)) : div(inter, Math.min(ai, areas[j]));
      // `!(overlap <= thr)` for min: numpy keeps only boxes with overlap <= threshold (NaN is dropped).
      const drop = method === 'union' ? overlap > thr : !(overlap <= thr);
      if (drop) {
        suppressed[j] = 1;
        suppressedBy[j] = { by: i, overlap };
      }
    }
  }
  return { keep, suppressedBy };
}
