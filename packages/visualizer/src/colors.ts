import { interpolateInferno, schemeTableau10 } from 'd3';

/**
 * One meaning per colour, the same in every panel (and in the legend): green kept, red
 * suppressed, grey rejected, amber the P-Net kernel, blue regressed, violet squared.
 */
export const COLORS = {
  kept: '#15803d',
  suppressed: '#dc2626',
  rejected: '#9ca3af',
  kernel: '#f59e0b',
  regressed: '#2563eb',
  squared: '#9333ea',
  focus: '#f97316',
  /** The region of a "why?" question. */
  query: '#0891b2',
  /** NMS overlap drawing: the union of two boxes, and their intersection. */
  union: '#60a5fa',
  intersection: '#facc15',
  /** The selected face's journey, in every panel. */
  lineage: '#f97316',
  ink: '#111827',
  muted: '#6b7280',
  line: '#d1d5db',
  paper: '#ffffff',
} as const;

/** Landmarks in the networks' order: left eye, right eye, nose, mouth left, mouth right. */
export const LANDMARK_COLORS = ['#ef4444', '#22c55e', '#3b82f6', '#eab308', '#ec4899'] as const;

/** Pyramid level colours (boxes of the candidates of that level). */
export function levelColor(index: number): string {
  return schemeTableau10[index % schemeTableau10.length];
}

/** Heat map colours for a probability in [0, 1]. */
export const heatColor = interpolateInferno;
