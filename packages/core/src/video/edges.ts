import type { RgbImage } from '../image.js';
import type { Window } from '../resample.js';
import type { Track } from './tracks.js';

/**
 * Where new faces come into a moving picture. When the camera pans, new content enters at the
 * leading edge; when it zooms out, at every edge. The tracks' own motion tells which: faces drift
 * right when the camera pans left, so the left edge brings new content.
 */

export type Edge = 'left' | 'right' | 'top' | 'bottom';

export interface CameraMotion {
  /** Median per-frame motion of the tracked faces' centres, in pixels. */
  dx: number;
  dy: number;
  /** Median per-frame relative change of their size (negative: zooming out). */
  zoom: number;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The scene's motion as the tracks see it (medians, so one face moving on its own does not
 * count); undefined without a track seen twice. The zoom comes from the distances between faces
 * when there are two or more (hundreds of pixels, so a pixel of jitter hardly counts), else from
 * the face's own size.
 */
export function cameraMotion(tracks: readonly Track[]): CameraMotion | undefined {
  const moving = tracks.filter((t) => t.hits > 1);
  if (moving.length === 0) return undefined;
  const centre = (t: Track): [number, number] => [(t.box[0] + t.box[2]) / 2, (t.box[1] + t.box[3]) / 2];
  const rates: number[] = [];
  for (let i = 0; i < moving.length; i++) {
    for (let j = i + 1; j < moving.length; j++) {
      const [ax, ay] = centre(moving[i]);
      const [bx, by] = centre(moving[j]);
      const now = Math.hypot(ax - bx, ay - by);
      const before = Math.hypot(
        ax - moving[i].velocity[0] - (bx - moving[j].velocity[0]),
        ay - moving[i].velocity[1] - (by - moving[j].velocity[1]),
      );
      if (now > 0 && before > 0) rates.push(now / before - 1);
    }
  }
  if (rates.length === 0) {
    for (const t of moving) rates.push(t.velocity[2] / Math.max(1, (t.box[2] - t.box[0] + t.box[3] - t.box[1]) / 2));
  }
  return {
    dx: median(moving.map((t) => t.velocity[0])),
    dy: median(moving.map((t) => t.velocity[1])),
    zoom: median(rates),
  };
}

/** Pixels per frame, and relative size change per frame, below which the picture counts as still. */
export const STILL = { shift: 1, zoom: 0.005 };

/** The edges new content comes in at, for this motion. */
export function enteringEdges(m: CameraMotion | undefined): Edge[] {
  if (!m) return [];
  if (m.zoom < -STILL.zoom) return ['left', 'right', 'top', 'bottom'];
  const edges: Edge[] = [];
  if (m.dx > STILL.shift) edges.push('left');
  if (m.dx < -STILL.shift) edges.push('right');
  if (m.dy > STILL.shift) edges.push('top');
  if (m.dy < -STILL.shift) edges.push('bottom');
  return edges;
}

/** The strip of `depth` pixels along each edge (whole pixels, inside the frame; corners may overlap). */
export function edgeStrips(width: number, height: number, edges: readonly Edge[], depth: number): Window[] {
  const dx = Math.min(width, Math.max(1, Math.round(depth)));
  const dy = Math.min(height, Math.max(1, Math.round(depth)));
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every Edge
  return edges.map((e) => {
    switch (e) {
      case 'left':
        return { x0: 0, y0: 0, x1: dx, y1: height };
      case 'right':
        return { x0: width - dx, y0: 0, x1: width, y1: height };
      case 'top':
        return { x0: 0, y0: 0, x1: width, y1: dy };
      case 'bottom':
        return { x0: 0, y0: height - dy, x1: width, y1: height };
    }
  });
}

/** A copy of the pixels of `win` (inside the image) as an image of its own. */
export function subImage(image: RgbImage, win: Window): RgbImage {
  const w = win.x1 - win.x0;
  const h = win.y1 - win.y0;
  const data = image.data instanceof Uint8Array ? new Uint8Array(w * h * 3) : new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const from = ((win.y0 + y) * image.width + win.x0) * 3;
    data.set(image.data.subarray(from, from + w * 3), y * w * 3);
  }
  return { data, width: w, height: h };
}
