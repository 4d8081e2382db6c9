import type { Box } from '@mtcnn/core';

/**
 * The parts of an NMS overlap, for drawing and for the numbers beside it: the intersection box,
 * both areas, the union, and their ratio by the core's formulas (nms.ts): `union` is IoU with
 * areas `(x2-x1)*(y2-y1)`; `min` adds 1 to every side and divides by the smaller area. The
 * verdicts themselves are the trace's (float32); this reproduces them to about 1e-6.
 */
export interface OverlapParts {
  /** Intersection, `[x1, y1, x2, y2]` (empty boxes have x2 <= x1). */
  intersection: Box;
  interArea: number;
  areaA: number;
  areaB: number;
  /** The denominator: the union (IoU) or the smaller area (min). */
  denominator: number;
  value: number;
}

export function overlapParts(
  a: readonly number[],
  b: readonly number[],
  method: 'union' | 'min' = 'union',
): OverlapParts {
  const one = method === 'min' ? 1 : 0;
  const area = (x: readonly number[]): number => (x[2] - x[0] + one) * (x[3] - x[1] + one);
  const intersection: Box = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  const w = Math.max(0, intersection[2] - intersection[0] + one);
  const h = Math.max(0, intersection[3] - intersection[1] + one);
  const interArea = w * h;
  const areaA = area(a);
  const areaB = area(b);
  const denominator = method === 'min' ? Math.min(areaA, areaB) : areaA + areaB - interArea;
  return { intersection, interArea, areaA, areaB, denominator, value: denominator > 0 ? interArea / denominator : 0 };
}

/** Plain IoU (no +1), for matching a region to boxes. */
export function iou(a: readonly number[], b: readonly number[]): number {
  return overlapParts(a, b, 'union').value;
}

export function sameBox(a: readonly number[], b: readonly number[], tolerance = 1e-3): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= tolerance);
}

export function contains(b: readonly number[], x: number, y: number): boolean {
  return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}

/** Distance from a point to a box's outline (0 on the edge), in the box's units. */
export function edgeDistance(b: readonly number[], x: number, y: number): number {
  const inside = contains(b, x, y);
  if (inside) return Math.min(x - b[0], b[2] - x, y - b[1], b[3] - y);
  const dx = Math.max(b[0] - x, 0, x - b[2]);
  const dy = Math.max(b[1] - y, 0, y - b[3]);
  return Math.hypot(dx, dy);
}
