import { argsortNumpy, argsortTorchDescending } from './argsort.js';
import { add, div, f32, mul, sub } from './f32.js';
import type { Box } from './box.js';

/**
 * Greedy non-maximum suppression in the two flavours MTCNN uses (pipeline steps 6 and 10, docs/architecture.md):
 * - `union`: IoU with areas `(x2-x1)*(y2-y1)` (no +1), suppress when IoU > threshold; boxes are
 *   taken by a stable sort by score, descending (torchvision's `nms`).
 * - `min`: overlap = intersection / min(area) with +1 in areas and intersection, keep while
 *   overlap <= threshold (in float32); highest score first (the reference's numpy `nms`, which
 *   walks an ascending `np.argsort` from its end).
 * All arithmetic in float32, like the reference's tensors. Equal scores: see `NmsTies`.
 */
export type NmsMethod = 'union' | 'min';

export interface NmsResult {
  /** Indices kept, highest score first. */
  keep: number[];
  /** For each input index: the index of the box that suppressed it and their overlap, or undefined if kept. */
  suppressedBy: Array<{ by: number; overlap: number } | undefined>;
}

/** Below this many boxes the all-pairs loop is as fast as building the grid. */
const GRID_MIN_BOXES = 64;

/**
 * How equal scores are ordered (which of two tied boxes is taken first, and the order of `keep`):
 * - `'stable'`: `union` takes the lower index first, `min` the higher (as a stable argsort walked
 *   from its end would). A plain, documented rule: the `default` preset's.
 * - `'reference'`: what the reference's libraries do (the `reference` preset): `union` as
 *   torchvision 0.14's `batched_nms` (a stable sort; but with more than 1,000 boxes its kept boxes
 *   are re-sorted by PyTorch's unstable sort, `argsortTorchDescending`), `min` in the order of numpy
 *   1.24's introsort `argsortNumpy`.
 */
export type NmsTies = 'stable' | 'reference';

/** Above this many boxes torchvision 0.14's `batched_nms` takes its "vanilla" path (`boxes.numel() > 4000`). */
export const TORCHVISION_VANILLA_MIN = 1001;

export interface NmsOptions {
  /** `false` forces the all-pairs loop (the definition), e.g. to test the grid against it. */
  grid?: boolean;
  /** Default `'stable'`. */
  ties?: NmsTies;
}

export function nms(
  boxes: readonly Box[],
  scores: ArrayLike<number>,
  threshold: number,
  method: NmsMethod,
  options: NmsOptions = {},
): NmsResult {
  const n = boxes.length;
  const reference = options.ties === 'reference';
  let order: number[];
  if (method === 'min' && reference) {
    order = Array.from(argsortNumpy(Float32Array.from({ length: n }, (_, i) => scores[i]))).reverse();
  } else {
    order = Array.from({ length: n }, (_, i) => i);
    if (method === 'union') order.sort((a, b) => scores[b] - scores[a] || a - b);
    else order.sort((a, b) => scores[b] - scores[a] || b - a);
  }
  const plusOne = method === 'min' ? 1 : 0;
  const areas = new Float64Array(n);
  let gridable = options.grid !== false && n >= GRID_MIN_BOXES && threshold >= 0;
  for (let i = 0; i < n; i++) {
    const b = boxes[i];
    areas[i] = mul(add(sub(b[2], b[0]), plusOne), add(sub(b[3], b[1]), plusOne));
    // The grid skips pairs that do not intersect: their overlap must then be 0 (kept), which
    // needs finite boxes of positive area (0 / 0 is NaN, which "min" drops).
    if (!(areas[i] > 0 && b[2] >= b[0] && b[3] >= b[1] && Number.isFinite(areas[i]))) gridable = false;
  }
  // torchvision compares the float IoU with the double threshold; numpy casts it to float32.
  const thr = method === 'union' ? threshold : f32(threshold);
  const ctx: Ctx = { boxes, areas, order, plusOne, union: method === 'union', thr };
  const result = gridable ? nmsGrid(ctx) : nmsAllPairs(ctx);
  if (method === 'union' && reference && n >= TORCHVISION_VANILLA_MIN) {
    // torchvision's vanilla batched_nms: keep_indices = where(keep_mask) (ascending), then
    // keep_indices[scores[keep_indices].sort(descending=True)[1]].
    const kept = result.keep.slice().sort((a, b) => a - b);
    const by = argsortTorchDescending(Float32Array.from(kept, (i) => scores[i]));
    result.keep = Array.from(by, (k) => kept[k]);
  }
  return result;
}

interface Ctx {
  boxes: readonly Box[];
  areas: Float64Array;
  /** Indices by decreasing priority. */
  order: number[];
  plusOne: number;
  union: boolean;
  thr: number;
}

/** The overlap of boxes i and j, in float32 with the reference's operation order (symmetric in i, j). */
function overlapOf(c: Ctx, i: number, j: number): number {
  const bi = c.boxes[i];
  const bj = c.boxes[j];
  const w = Math.max(0, add(sub(Math.min(bi[2], bj[2]), Math.max(bi[0], bj[0])), c.plusOne));
  const h = Math.max(0, add(sub(Math.min(bi[3], bj[3]), Math.max(bi[1], bj[1])), c.plusOne));
  const inter = mul(w, h);
  return c.union ? div(inter, sub(add(c.areas[i], c.areas[j]), inter)) : div(inter, Math.min(c.areas[i], c.areas[j]));
}

/** `min` keeps only overlap <= threshold, so NaN is dropped; `union` drops overlap > threshold. */
const drops = (c: Ctx, overlap: number): boolean => (c.union ? overlap > c.thr : !(overlap <= c.thr));

/** The definition: each kept box, in order, suppresses every later box it overlaps too much. */
function nmsAllPairs(c: Ctx): NmsResult {
  const n = c.order.length;
  const suppressed = new Uint8Array(n);
  const suppressedBy: NmsResult['suppressedBy'] = new Array(n).fill(undefined);
  const keep: number[] = [];
  for (let oi = 0; oi < n; oi++) {
    const i = c.order[oi];
    if (suppressed[i]) continue;
    keep.push(i);
    for (let oj = oi + 1; oj < n; oj++) {
      const j = c.order[oj];
      if (suppressed[j]) continue;
      const overlap = overlapOf(c, i, j);
      if (drops(c, overlap)) {
        suppressed[j] = 1;
        suppressedBy[j] = { by: i, overlap };
      }
    }
  }
  return { keep, suppressedBy };
}

/**
 * The same result in about O(n) for the thousands of P-Net boxes of a large image: a box is
 * suppressed iff some earlier *kept* box drops it, and then by the earliest such box (that is
 * what the loop above records). Only intersecting boxes can drop one another, so each box is
 * checked against the kept boxes sharing a grid cell with it, not against all of them.
 */
function nmsGrid(c: Ctx): NmsResult {
  const { boxes, order, plusOne } = c;
  const n = order.length;
  // Cells of about the median box side; boxes spanning many cells go to a list checked always.
  const sides = new Float64Array(n);
  let minX = Infinity;
  let minY = Infinity;
  for (let i = 0; i < n; i++) {
    const b = boxes[i];
    sides[i] = Math.max(b[2] - b[0], b[3] - b[1]) + plusOne;
    minX = Math.min(minX, b[0]);
    minY = Math.min(minY, b[1]);
  }
  const cell = Math.max(1, sides.sort()[n >> 1]);
  // A box covers cells [cx0, cx1] x [cy0, cy1]: every x in [x1, x2 + plusOne], so two boxes that
  // intersect (x-overlap > 0 after float32 rounding implies real overlap) share a cell.
  const span = (i: number): [number, number, number, number] => {
    const b = boxes[i];
    return [
      Math.floor((b[0] - minX) / cell),
      Math.floor((b[1] - minY) / cell),
      Math.floor((b[2] + plusOne - minX) / cell),
      Math.floor((b[3] + plusOne - minY) / cell),
    ];
  };
  const BIG = 8;
  const cells = new Map<number, number[]>();
  const big: number[] = [];
  const key = (cx: number, cy: number): number => cx * 1_048_576 + cy;
  const rank = new Int32Array(n); // position in `order`
  order.forEach((i, r) => {
    rank[i] = r;
  });
  const seen = new Int32Array(n).fill(-1);
  const suppressedBy: NmsResult['suppressedBy'] = new Array(n).fill(undefined);
  const keep: number[] = [];
  for (let r = 0; r < n; r++) {
    const j = order[r];
    const [x0, y0, x1, y1] = span(j);
    let by = -1;
    let byOverlap = 0;
    const check = (i: number): void => {
      if (seen[i] === j) return;
      seen[i] = j;
      if (by >= 0 && rank[i] > rank[by]) return; // a earlier dropper already found
      const overlap = overlapOf(c, i, j);
      if (drops(c, overlap)) {
        by = i;
        byOverlap = overlap;
      }
    };
    for (const i of big) check(i);
    for (let cx = x0; cx <= x1 && cx - x0 < BIG; cx++) {
      for (let cy = y0; cy <= y1 && cy - y0 < BIG; cy++) {
        const list = cells.get(key(cx, cy));
        if (list) for (const i of list) check(i);
      }
    }
    if (x1 - x0 >= BIG || y1 - y0 >= BIG) {
      // A big box: its cells were only partly scanned above; check every kept box.
      for (const i of keep) check(i);
    }
    if (by >= 0) {
      suppressedBy[j] = { by, overlap: byOverlap };
      continue;
    }
    keep.push(j);
    if (x1 - x0 >= BIG || y1 - y0 >= BIG) {
      big.push(j);
    } else {
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const k = key(cx, cy);
          const list = cells.get(k);
          if (list) list.push(j);
          else cells.set(k, [j]);
        }
      }
    }
  }
  return { keep, suppressedBy };
}
