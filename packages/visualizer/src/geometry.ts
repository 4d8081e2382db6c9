import type { Box, LevelTrace } from '@mtcnn/core';
import { pnetCandidates } from '@mtcnn/core/backend-kit';

/**
 * Where a P-Net cell looks. The trace documents the cell geometry (cell (x, y) sees level pixels
 * [2x, 2x+12) x [2y, 2y+12)); the mapping back to the image is the core's own `pnetCandidates`,
 * run on a one-hot map so that cells below threshold get the same box the core would give them.
 */

/** P-Net's stride and window (the trace's cell geometry). */
export const STRIDE = 2;
export const WINDOW = 12;

/** The 12x12 window of cell `[x, y]` in level pixels, `[x1, y1, x2, y2]`. */
export function kernelLevelBox(cell: readonly [number, number]): Box {
  return [STRIDE * cell[0], STRIDE * cell[1], STRIDE * cell[0] + WINDOW, STRIDE * cell[1] + WINDOW];
}

/** The same window in image pixels, as the core maps it (its float32 "divide by the scale"). */
export function kernelImageBox(level: LevelTrace, cell: readonly [number, number]): Box {
  const [x, y] = cell;
  const n = y * level.mapWidth + x + 1;
  // Probability 0 everywhere but 1 at the cell (infinite logits).
  const logit = new Float32Array(n).fill(-Infinity);
  logit[n - 1] = Infinity;
  const [c] = pnetCandidates(
    { logit, reg: new Float32Array(n * 4), width: level.mapWidth, height: y + 1 },
    level.scale,
    level.index,
    1,
  );
  return c.box;
}

/** The cell whose window is centred nearest to level pixel (px, py), clamped to the map. */
export function cellAt(level: LevelTrace, px: number, py: number): [number, number] {
  const clamp = (v: number, n: number): number => Math.max(0, Math.min(n - 1, v));
  return [
    clamp(Math.round((px - WINDOW / 2) / STRIDE), level.mapWidth),
    clamp(Math.round((py - WINDOW / 2) / STRIDE), level.mapHeight),
  ];
}

/** The part of a crop window outside the image, as fractions of the window per side. */
export function outsideFractions(
  win: { x0: number; y0: number; x1: number; y1: number },
  width: number,
  height: number,
): { left: number; right: number; top: number; bottom: number } {
  const w = Math.max(1, win.x1 - win.x0);
  const h = Math.max(1, win.y1 - win.y0);
  const f = (v: number, n: number): number => Math.min(1, Math.max(0, v) / n);
  return { left: f(-win.x0, w), right: f(win.x1 - width, w), top: f(-win.y0, h), bottom: f(win.y1 - height, h) };
}

/** True if a box reaches outside the image. */
export function leavesImage(box: Box, width: number, height: number): boolean {
  return box[0] < 0 || box[1] < 0 || box[2] > width || box[3] > height;
}
