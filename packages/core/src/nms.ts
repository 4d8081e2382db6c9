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
  // Coordinates in typed arrays (the loops below read them millions of times on a large image).
  const x1 = new Float64Array(n);
  const y1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y2 = new Float64Array(n);
  const areas = new Float64Array(n);
  let gridable = options.grid !== false && n >= GRID_MIN_BOXES && threshold >= 0;
  for (let i = 0; i < n; i++) {
    const b = boxes[i];
    x1[i] = b[0];
    y1[i] = b[1];
    x2[i] = b[2];
    y2[i] = b[3];
    areas[i] = mul(add(sub(b[2], b[0]), plusOne), add(sub(b[3], b[1]), plusOne));
    // The grid skips pairs that do not intersect: their overlap must then be 0 (kept), which
    // needs finite boxes of positive area (0 / 0 is NaN, which "min" drops).
    if (!(areas[i] > 0 && b[2] >= b[0] && b[3] >= b[1] && Number.isFinite(areas[i]))) gridable = false;
  }
  // torchvision compares the float IoU with the double threshold; numpy casts it to float32.
  const thr = method === 'union' ? threshold : f32(threshold);
  const ctx: Ctx = { x1, y1, x2, y2, areas, order, plusOne, union: method === 'union', thr };
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
  x1: Float64Array;
  y1: Float64Array;
  x2: Float64Array;
  y2: Float64Array;
  areas: Float64Array;
  /** Indices by decreasing priority. */
  order: number[];
  plusOne: number;
  union: boolean;
  thr: number;
}

/** The overlap of boxes i and j, in float32 with the reference's operation order (symmetric in i, j). */
function overlapOf(c: Ctx, i: number, j: number): number {
  const w = Math.max(0, add(sub(Math.min(c.x2[i], c.x2[j]), Math.max(c.x1[i], c.x1[j])), c.plusOne));
  const h = Math.max(0, add(sub(Math.min(c.y2[i], c.y2[j]), Math.max(c.y1[i], c.y1[j])), c.plusOne));
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

/** Boxes spanning more grid cells than this in x or y are checked against every kept box instead. */
const BIG = 8;

/**
 * The same result in about O(n) for the thousands of P-Net boxes of a large image: a box is
 * suppressed iff some earlier *kept* box drops it, and then by the earliest such box (that is
 * what the loop above records). Only intersecting boxes can drop one another, so each box is
 * checked against the kept boxes sharing a grid cell with it, not against all of them. Which of
 * those is found first does not matter (the earliest in `order` wins), so the cells are plain
 * linked lists in typed arrays.
 */
function nmsGrid(c: Ctx): NmsResult {
  const { x1, y1, x2, y2, order, plusOne } = c;
  const n = order.length;
  // Cells of about the median box side; boxes spanning many cells go to a list checked always.
  const sides = new Float64Array(n);
  let minX = Infinity;
  let minY = Infinity;
  for (let i = 0; i < n; i++) {
    sides[i] = Math.max(x2[i] - x1[i], y2[i] - y1[i]) + plusOne;
    minX = Math.min(minX, x1[i]);
    minY = Math.min(minY, y1[i]);
  }
  const cell = Math.max(1, sides.sort()[n >> 1]);
  // A box covers cells [cx0, cx1] x [cy0, cy1]: every x in [x1, x2 + plusOne], so two boxes that
  // intersect (x-overlap > 0 after float32 rounding implies real overlap) share a cell.
  const cx0 = new Int32Array(n);
  const cy0 = new Int32Array(n);
  const cx1 = new Int32Array(n);
  const cy1 = new Int32Array(n);
  let gw = 0;
  let gh = 0;
  for (let i = 0; i < n; i++) {
    cx0[i] = Math.floor((x1[i] - minX) / cell);
    cy0[i] = Math.floor((y1[i] - minY) / cell);
    cx1[i] = Math.floor((x2[i] + plusOne - minX) / cell);
    cy1[i] = Math.floor((y2[i] + plusOne - minY) / cell);
    // Only boxes that are not big are entered in cells (and scanned cells lie within theirs).
    if (cx1[i] - cx0[i] < BIG && cy1[i] - cy0[i] < BIG) {
      gw = Math.max(gw, cx1[i] + 1);
      gh = Math.max(gh, cy1[i] + 1);
    }
  }
  // A dense grid when it is not much larger than the boxes (it is for images); else cells by key.
  const dense = gw * gh <= 8 * n + 65_536;
  const cellIndex = new Map<number, number>();
  const cellOf = (cx: number, cy: number, create: boolean): number => {
    if (dense) return cx * gh + cy;
    const key = cx * 1_048_576 + cy;
    let k = cellIndex.get(key);
    if (k === undefined) {
      if (!create) return -1;
      k = cellIndex.size;
      cellIndex.set(key, k);
      if (k >= head.length) {
        const grown = new Int32Array(2 * head.length).fill(-1);
        grown.set(head);
        head = grown;
        const grownTail = new Int32Array(head.length);
        grownTail.set(tail);
        tail = grownTail;
      }
    }
    return k;
  };
  let head = new Int32Array(dense ? gw * gh : 1024).fill(-1); // first entry of each cell, -1 = none
  let tail = new Int32Array(head.length); // its last entry
  let next = new Int32Array(4 * n); // entries: the next entry of the same cell ...
  let item = new Int32Array(4 * n); // ... and the kept box
  let entries = 0;
  const big: number[] = [];
  const rank = new Int32Array(n); // position in `order`
  for (let r = 0; r < n; r++) rank[order[r]] = r;
  const seen = new Int32Array(n).fill(-1);
  const suppressedBy: NmsResult['suppressedBy'] = new Array(n).fill(undefined);
  const keep: number[] = [];
  for (let r = 0; r < n; r++) {
    const j = order[r];
    const bx0 = cx0[j];
    const by0 = cy0[j];
    const bx1 = cx1[j];
    const by1 = cy1[j];
    const isBig = bx1 - bx0 >= BIG || by1 - by0 >= BIG;
    let by = -1;
    let byOverlap = 0;
    // A big box: its cells are only partly scanned; it checks every kept box instead. Both
    // lists are in `order`: the first box that drops j is the earliest.
    const others: readonly number[] = isBig ? keep : big;
    for (let k = 0; k < others.length; k++) {
      const i = others[k];
      seen[i] = j;
      const overlap = overlapOf(c, i, j);
      if (drops(c, overlap)) {
        by = i;
        byOverlap = overlap;
        break;
      }
    }
    if (!isBig) {
      for (let cx = bx0; cx <= bx1; cx++) {
        for (let cy = by0; cy <= by1; cy++) {
          const at = cellOf(cx, cy, false);
          // A cell's kept boxes are in `order` (entered as kept): the first that drops j is the
          // cell's earliest, and the rest of the cell cannot be earlier.
          for (let e = at < 0 ? -1 : head[at]; e >= 0; e = next[e]) {
            const i = item[e];
            if (by >= 0 && rank[i] > rank[by]) break;
            if (seen[i] === j) continue;
            seen[i] = j;
            const overlap = overlapOf(c, i, j);
            if (drops(c, overlap)) {
              by = i;
              byOverlap = overlap;
              break;
            }
          }
        }
      }
    }
    if (by >= 0) {
      suppressedBy[j] = { by, overlap: byOverlap };
      continue;
    }
    keep.push(j);
    if (isBig) {
      big.push(j);
      continue;
    }
    for (let cx = bx0; cx <= bx1; cx++) {
      for (let cy = by0; cy <= by1; cy++) {
        const at = cellOf(cx, cy, true);
        if (entries === next.length) {
          const n2 = new Int32Array(2 * entries);
          n2.set(next);
          next = n2;
          const i2 = new Int32Array(2 * entries);
          i2.set(item);
          item = i2;
        }
        // Appended at the cell's tail: its list stays in `order`.
        next[entries] = -1;
        item[entries] = j;
        if (head[at] < 0) head[at] = entries;
        else next[tail[at]] = entries;
        tail[at] = entries++;
      }
    }
  }
  return { keep, suppressedBy };
}
