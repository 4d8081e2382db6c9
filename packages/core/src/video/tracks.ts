import type { Box } from '../box.js';

/**
 * Track identity across video frames: greedy IoU matching of each frame's faces to the previous
 * ones, stable ids, and a constant-velocity guess of where each face is next. Pure bookkeeping,
 * no networks.
 */

/** Intersection over union of two `[x1, y1, x2, y2]` boxes (no +1; 0 for empty boxes). */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

export interface GreedyMatch {
  /** `[previous index, next index]`, best IoU first. */
  pairs: Array<[number, number]>;
  unmatchedPrevious: number[];
  unmatchedNext: number[];
}

/**
 * Pair boxes of two frames, highest IoU first, each box at most once, only pairs with
 * IoU >= `minIou`. Ties go to the lower indices (the order is deterministic).
 */
export function greedyMatch(previous: readonly Box[], next: readonly Box[], minIou: number): GreedyMatch {
  const cand: Array<[number, number, number]> = [];
  for (let i = 0; i < previous.length; i++) {
    for (let j = 0; j < next.length; j++) {
      const v = iou(previous[i], next[j]);
      if (v >= minIou && v > 0) cand.push([v, i, j]);
    }
  }
  cand.sort((p, q) => q[0] - p[0] || p[1] - q[1] || p[2] - q[2]);
  const usedP = new Set<number>();
  const usedN = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const [, i, j] of cand) {
    if (usedP.has(i) || usedN.has(j)) continue;
    usedP.add(i);
    usedN.add(j);
    pairs.push([i, j]);
  }
  return {
    pairs,
    unmatchedPrevious: previous.map((_, i) => i).filter((i) => !usedP.has(i)),
    unmatchedNext: next.map((_, j) => j).filter((j) => !usedN.has(j)),
  };
}

export interface Track {
  readonly id: number;
  /** Last seen box, `[x1, y1, x2, y2]`. */
  box: Box;
  /**
   * Per-frame motion of the box centre and side, `[dcx, dcy, dside]`: the slope over the last
   * few sightings (one frame's difference is mostly detection jitter, about a pixel).
   */
  velocity: [number, number, number];
  /** The last sightings, oldest first: frame number, centre and side. */
  history: Array<[number, number, number, number]>;
  /** Frames since the face was last seen (0 = seen in the last frame). */
  missed: number;
  /** Frames the track has been seen in. */
  hits: number;
}

export interface TrackSetOptions {
  /** Least IoU for a face to continue a track. */
  matchIou: number;
  /** Frames a lost track is remembered, so a face found again within them gets its id back. */
  keepLost: number;
}

/** Sightings kept per track for its velocity. */
export const HISTORY = 6;

/** The tracks of one video: feed each frame's boxes to `update`, get their ids. */
export class TrackSet {
  private tracks: Track[] = [];
  private nextId = 1;
  private frame = 0;

  constructor(private readonly options: TrackSetOptions) {}

  /** Tracks seen in the last frame. */
  active(): readonly Track[] {
    return this.tracks.filter((t) => t.missed === 0);
  }

  all(): readonly Track[] {
    return this.tracks;
  }

  /**
   * Assign ids to this frame's boxes: continued tracks keep theirs (active tracks are matched
   * first, then recently lost ones), new faces get fresh ids. Returns the id of each box.
   */
  update(boxes: readonly Box[]): number[] {
    this.frame++;
    const ids = new Array<number>(boxes.length).fill(0);
    let open = boxes.map((_, j) => j);
    for (const pool of [this.tracks.filter((t) => t.missed === 0), this.tracks.filter((t) => t.missed > 0)]) {
      if (open.length === 0 || pool.length === 0) continue;
      const m = greedyMatch(
        pool.map((t) => t.box),
        open.map((j) => boxes[j]),
        this.options.matchIou,
      );
      for (const [p, n] of m.pairs) {
        const j = open[n];
        this.continueTrack(pool[p], boxes[j]);
        ids[j] = pool[p].id;
      }
      open = m.unmatchedNext.map((n) => open[n]);
    }
    const seen = new Set(ids);
    for (const t of this.tracks) if (!seen.has(t.id)) t.missed++;
    this.tracks = this.tracks.filter((t) => t.missed <= this.options.keepLost);
    for (const j of open) {
      const t: Track = {
        id: this.nextId++,
        box: [...boxes[j]] as Box,
        velocity: [0, 0, 0],
        history: [[this.frame, ...centreSide(boxes[j])]],
        missed: 0,
        hits: 1,
      };
      this.tracks.push(t);
      ids[j] = t.id;
    }
    return ids;
  }

  /** Forget every track (ids keep counting up, so an old id never comes back for a new face). */
  clear(): void {
    this.tracks = [];
  }

  private continueTrack(t: Track, box: Box): void {
    t.history.push([this.frame, ...centreSide(box)]);
    if (t.history.length > HISTORY) t.history.shift();
    const [f0, x0, y0, s0] = t.history[0];
    const [f1, x1, y1, s1] = t.history[t.history.length - 1];
    t.velocity = [(x1 - x0) / (f1 - f0), (y1 - y0) / (f1 - f0), (s1 - s0) / (f1 - f0)];
    t.box = [...box] as Box;
    t.missed = 0;
    t.hits++;
  }
}

/** Centre and side (mean of width and height) of a box. */
function centreSide(b: Box): [number, number, number] {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, (b[2] - b[0] + (b[3] - b[1])) / 2];
}

/**
 * Where to look for a tracked face in the next frame: its box moved by its velocity (for a lost
 * face, by as many frames as it has been missing), made square around its centre, with side
 * `max(w, h) * (1 + margin)`.
 */
export function searchBox(t: Track, margin: number): Box {
  const [cx, cy] = centreSide(t.box);
  const frames = t.missed + 1;
  const side = Math.max(t.box[2] - t.box[0], t.box[3] - t.box[1]) + t.velocity[2] * frames;
  const half = (Math.max(side, 1) * (1 + margin)) / 2;
  const x = cx + t.velocity[0] * frames;
  const y = cy + t.velocity[1] * frames;
  return [x - half, y - half, x + half, y + half];
}

/**
 * The search box and variations of it (larger, smaller, shifted by a fifth of its side): R-Net
 * and O-Net accept a face only in boxes close to it, so a face that moved or grew more than
 * predicted is still found. Crops are cheap next to a P-Net pyramid.
 */
export function searchBoxes(t: Track, margin: number): Box[] {
  const b = searchBox(t, margin);
  const cx = (b[0] + b[2]) / 2;
  const cy = (b[1] + b[3]) / 2;
  const half = (b[2] - b[0]) / 2;
  const around = (x: number, y: number, h: number): Box => [x - h, y - h, x + h, y + h];
  const d = half * 0.4;
  return [
    b,
    around(cx, cy, half * 1.3),
    around(cx, cy, half * 0.8),
    around(cx - d, cy, half),
    around(cx + d, cy, half),
    around(cx, cy - d, half),
    around(cx, cy + d, half),
  ];
}
