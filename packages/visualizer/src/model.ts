import type { CropTrace, PNetCandidateTrace, RgbImage, StageTrace } from '@mtcnn/core';
import { defaultFocus, lineageOf, type Lineage, type NodeRef } from './explain/lineage.js';
import type { QueryAnswer, Region } from './explain/query.js';
import type { ViewTools } from './interact.js';

/**
 * The image the trace was computed on: `href` for display (a data URL, so exported SVGs stand alone), `rgb` for the
 * exact pixels.
 */
export interface VizImage {
  href: string;
  /** The decoded pixels the detector saw. Without them, levels and crops are drawn without pixels. */
  rgb?: RgbImage;
  /** File name or sample name, for titles. */
  name?: string;
}

/** What re-ran for this trace: the networks, or only the post-processing (from cached network outputs). */
export interface RunInfo {
  backend: string;
  /** Per network: inputs run on the network vs answered from the cache (levels for P-Net, crops for R-/O-Net). */
  networks?: Record<'pnet' | 'rnet' | 'onet', { ran: number; cached: number }>;
}

/**
 * Everything a renderer draws from. `trace` is the core's stage trace, unmodified: the visualizer
 * derives nothing the core did not decide (see docs/visualizer.md).
 */
export interface VizInput {
  trace: StageTrace;
  image: VizImage;
  run?: RunInfo;
  /**
   * The networks' inputs as pictures, when the detector's side made them (the app's worker): the
   * panels then draw these instead of resampling the image on the page.
   */
  pictures?: NetworkPictures;
  /** Set by the viewer: what every panel highlights, and where a panel reports a pick. Optional for a lone renderer. */
  link?: PanelLink;
}

/** Pictures of what the networks were given (see `src/app/capture.ts`). */
export interface NetworkPictures {
  /** PNG of pyramid levels, by `${width}x${height}` (those new since the last run of this image). */
  levels: Record<string, Blob>;
  /** R-Net's 24x24 / O-Net's 48x48 inputs as RGBA, one after the other in trace id order. */
  rnet?: Uint8ClampedArray;
  onet?: Uint8ClampedArray;
}

/**
 * The viewer's shared selection: one lineage (a face's journey) highlighted in every panel, the
 * last "why?" query, and the image views' zoom. Panels call `pick` / `ask`; the viewer updates
 * every panel's state and redraws.
 */
export interface PanelLink extends ViewTools {
  lineage?: Lineage;
  query?: QueryAnswer;
  pick(ref: NodeRef): void;
  ask(region: Region): void;
}

/**
 * The path panels open on: the most confident final face followed back through the trace's ids
 * (its O-Net crop, R-Net crop and P-Net candidate), or with no face the box that got furthest
 * (`defaultFocus`). So a first look follows a real face, and every panel shows the same one.
 */
export function bestFacePath(trace: StageTrace): { onet?: CropTrace; rnet?: CropTrace; pnet?: PNetCandidateTrace } {
  const focus = defaultFocus(trace);
  const l = focus && lineageOf(trace, focus);
  return { onet: l?.onet, rnet: l?.rnet, pnet: l?.pnet };
}

export type CropStatus = 'kept' | 'suppressed' | 'rejected';

/** An R-Net / O-Net input's fate: below threshold, suppressed by NMS, or kept. */
export function cropStatus(c: CropTrace): CropStatus {
  if (!c.passed) return 'rejected';
  return c.nms?.kept === false ? 'suppressed' : 'kept';
}

export type CandidateStatus = 'kept' | 'scale-suppressed' | 'cross-suppressed';

/** A P-Net candidate's fate in the two NMS rounds. */
export function candidateStatus(c: PNetCandidateTrace): CandidateStatus {
  if (!c.scaleNms.kept) return 'scale-suppressed';
  return c.crossNms?.kept === false ? 'cross-suppressed' : 'kept';
}

/** Digits that show the first two significant digits of `1 - p` (0.554, 0.99987, 0.99999809). */
function scoreDigits(p: number): number {
  if (!(p > 0.995) || p >= 1) return 3;
  return Math.min(9, Math.ceil(-Math.log10(1 - p)) + 1);
}

/** The log-odds of a probability, ln(p / (1 - p)): how sure the network is when p is close to 1. */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

/** Number formatting shared by every panel. */
export const fmt = {
  /** A probability with enough digits to see how close to 1 it is (float32 resolution near 1 is 6e-8). */
  score: (v: number): string => (v >= 1 ? '1' : v.toFixed(scoreDigits(v))),
  /** Two scores with as many digits as it takes to tell them apart (up to 9). */
  scores: (a: number, b: number): [string, string] => {
    let d = Math.max(scoreDigits(a), scoreDigits(b));
    while (d < 9 && a.toFixed(d) === b.toFixed(d)) d++;
    return [a.toFixed(d), b.toFixed(d)];
  },
  /**
   * The score, and for scores near 1 also `1 - p` and the logit (where the differences show): the
   * network's own logit when the trace has it (it orders scores that round to 1 in float32), else
   * the one the probability gives.
   */
  scoreLong: (v: number, logitValue?: number): string => {
    const l = Number.isFinite(logitValue) ? (logitValue as number) : v > 0 && v < 1 ? logit(v) : undefined;
    if (!(v > 0.99)) return v.toFixed(3);
    const p = v >= 1 ? '1 (in float32)' : `${v.toFixed(scoreDigits(v))} (1 − p = ${(1 - v).toExponential(1)}`;
    const tail = l === undefined ? '' : `${v >= 1 ? ' (' : ', '}logit ${l.toFixed(2)}`;
    return `${p}${tail}${v >= 1 && l === undefined ? '' : ')'}`;
  },
  px: (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1)),
  ms: (v: number): string => (v < 10 ? v.toFixed(1) : v.toFixed(0)),
  scale: (v: number): string => v.toFixed(3),
  box: (b: readonly number[]): string =>
    `[${b.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))).join(', ')}]`,
};
