import type { Box, LevelTrace } from '@mtcnn/core';
import { cellBox } from '@mtcnn/core/backend-kit';

/**
 * Where a P-Net cell looks. The trace documents the cell geometry (cell (x, y) sees level pixels
 * [2x, 2x+12) x [2y, 2y+12)); the mapping back to the image is the core's own `cellBox`, so cells
 * below threshold get the same box the core would give them.
 */

/** P-Net's stride and window (the trace's cell geometry). */
export const STRIDE = 2;
export const WINDOW = 12;

/** The 12x12 window of cell `[x, y]` in level pixels, `[x1, y1, x2, y2]`. */
export function kernelLevelBox(cell: readonly [number, number]): Box {
  return [STRIDE * cell[0], STRIDE * cell[1], STRIDE * cell[0] + WINDOW, STRIDE * cell[1] + WINDOW];
}

/** The same window in image pixels, as the core maps it: `cellBox` (floor((2x+1)/s) .. floor((2x+12)/s), float32). */
export function kernelImageBox(level: LevelTrace, cell: readonly [number, number]): Box {
  return cellBox(cell[0], cell[1], level.scale);
}

/** The scale as the core divides by it (float32), shown with all its digits. */
export function f32Scale(scale: number): string {
  return String(Math.fround(scale));
}

/** The numbers of the mapping back, as the core computes them: numerator, float32 quotient (before the floor). */
export function mappingTerms(
  level: LevelTrace,
  cell: readonly [number, number],
): { s: string; x1: Term; y1: Term; x2: Term; y2: Term } {
  const s = Math.fround(level.scale);
  // Truncated, not rounded, to 2 decimals: the floor of what is shown is the coordinate.
  const term = (num: number): Term => ({ num, q: (Math.floor(Math.fround(num / s) * 100) / 100).toFixed(2) });
  return {
    s: s.toPrecision(6),
    x1: term(2 * cell[0] + 1),
    y1: term(2 * cell[1] + 1),
    x2: term(2 * cell[0] + 12),
    y2: term(2 * cell[1] + 12),
  };
}

export interface Term {
  /** 2x + 1 or 2x + 12. */
  num: number;
  /** num / s in float32, truncated to two decimals (its floor is the box coordinate). */
  q: string;
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
