/** Image pyramid: which scales P-Net sees, and the size of each level (pipeline steps 2-3, docs/architecture.md). */

/** P-Net's receptive field: the smallest face it can see at scale 1. */
export const PNET_CELL = 12;

/**
 * Scales for an image of `height` x `width`. `m = 12 / minFaceSize`, then repeated
 * multiplication by `factor` in float64, kept while `min(h, w) * m * factor^k >= 12` (computed by
 * the same repeated multiplication as the reference, so the last level is decided identically).
 */
export function pyramidScales(height: number, width: number, minFaceSize: number, factor: number): number[] {
  const m = PNET_CELL / minFaceSize;
  let minl = Math.min(height, width) * m;
  let scale = m;
  const scales: number[] = [];
  while (minl >= PNET_CELL) {
    scales.push(scale);
    scale *= factor;
    minl *= factor;
  }
  return scales;
}

/**
 * How many levels `pyramidScales` gives for an image whose shorter side is `side`, counting at most
 * up to `stop` (so that a scale factor near 1 costs nothing to check).
 */
export function pyramidLevelCount(side: number, minFaceSize: number, factor: number, stop = Infinity): number {
  let minl = side * (PNET_CELL / minFaceSize);
  let n = 0;
  while (minl >= PNET_CELL && n < stop) {
    n++;
    minl *= factor;
  }
  return n;
}

/** Size of the level at `scale`: `floor(h*s + 1)` x `floor(w*s + 1)` (the reference's `int(h*s+1)`). */
export function levelSize(height: number, width: number, scale: number): { height: number; width: number } {
  return { height: Math.floor(height * scale + 1), width: Math.floor(width * scale + 1) };
}
