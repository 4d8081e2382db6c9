import type { Box, Offsets } from './box.js';
import type { Face, Point } from './face.js';
import type { ResolvedOptions } from './options.js';
import type { Window } from './resample.js';

/**
 * The stage trace: everything each stage saw and decided, for debugging and for the visualizer.
 * Opt-in (`detectWithStats(image, { trace: true })`); plain numbers and arrays, so
 * `JSON.stringify` works. Boxes are `[x1, y1, x2, y2]` in image pixels; ids index the list they
 * belong to.
 */

/** Per-stage counts, the same quantities as the reference's `stages`. */
export interface StageCounts {
  /** Pyramid levels. */
  scales: number;
  /** P-Net cells at or above threshold, over all levels. */
  pnet: number;
  /** Boxes left after per-scale and cross-scale NMS (R-Net's input count). */
  pnetNms: number;
  /** R-Net boxes above threshold. */
  rnet: number;
  /** Left after R-Net NMS (O-Net's input count). */
  rnetNms: number;
  /** O-Net boxes above threshold. */
  onet: number;
  /** Final faces. */
  faces: number;
}

/** Milliseconds per stage: resampling the pyramid, P-Net (network + post), R-Net and O-Net (crops + network + post). */
export interface StageTimings {
  pyramid: number;
  pnet: number;
  rnet: number;
  onet: number;
  /** Of the three stages above: thresholds, NMS, regression, squaring and landmarks. */
  post: number;
  total: number;
}

/** An NMS verdict: kept, or suppressed by box `by` (same list) with overlap `overlap`. */
export interface NmsDecision {
  kept: boolean;
  by?: number;
  overlap?: number;
}

export interface LevelTrace {
  index: number;
  scale: number;
  /** Level size in pixels. */
  height: number;
  width: number;
  /** P-Net output map size (cell (x, y) sees level pixels [2x, 2x+12) x [2y, 2y+12)). */
  mapHeight: number;
  mapWidth: number;
  /** P-Net face probability per cell, `mapHeight * mapWidth`, row-major. */
  prob: number[];
  /** Cells at or above the threshold, and how many survived this level's NMS. */
  candidates: number;
  afterNms: number;
  /** Cells at or above the threshold left out by `maxCandidatesPerLevel` (absent when none were). */
  dropped?: number;
}

export interface PNetCandidateTrace {
  id: number;
  level: number;
  /** Cell in the level's output map. */
  cell: [number, number];
  /** The 12x12 window mapped back to the image (divided by the scale). */
  box: Box;
  score: number;
  /** The network's face logit (`l1 - l0`) the score came from: it still orders scores that round to 1 in float32. */
  logit: number;
  offsets: Offsets;
  /** Per-level NMS; `by` is a candidate id. */
  scaleNms: NmsDecision;
  /** Cross-scale NMS, for candidates that survived their level's NMS. */
  crossNms?: NmsDecision;
  /** The box after P-Net's regression (every candidate, to compare with its window `box`). */
  regressed: Box;
  /** For survivors of both NMS rounds: the regressed box squared (R-Net's input box). */
  squared?: Box;
}

export interface CropTrace {
  id: number;
  /** Id of the box in the previous stage (P-Net candidate id for R-Net; R-Net input id for O-Net). */
  source: number;
  /** The box cropped. */
  box: Box;
  /** Source pixels cropped, half-open, may leave the image (zero-pad). */
  window: Window;
  score: number;
  /** The network's face logit (`l1 - l0`) the score came from. */
  logit: number;
  /** Score above the stage threshold. */
  passed: boolean;
  /** For passed boxes; `by` is an id in the same list. */
  nms?: NmsDecision;
  offsets?: Offsets;
  regressed?: Box;
  /** R-Net: the squared box O-Net will see. */
  squared?: Box;
  /** O-Net: the five landmarks (from the box before regression). */
  landmarks?: Point[];
}

export interface StageTrace {
  image: { width: number; height: number };
  options: ResolvedOptions;
  pyramid: LevelTrace[];
  pnet: { candidates: PNetCandidateTrace[] };
  rnet: { inputs: CropTrace[] };
  onet: { inputs: CropTrace[] };
  faces: Face[];
  /** For each face (same order as `faces`): the id of the O-Net input it came from. */
  faceSources: number[];
  counts: StageCounts;
  timings: StageTimings;
}
