import type { LevelTrace, RgbImage, Window } from '@mtcnn/core';
import { resampleArea, resampleImage } from '@mtcnn/core/backend-kit';
import { color } from 'd3';
import { heatColor } from './colors.js';

/**
 * Pixels for the panels, made with the core's own resampling (`resampleImage` for pyramid levels,
 * `resampleArea` on the trace's crop windows), so what is shown is exactly what the networks saw.
 * Results are PNG data URLs (exported SVGs stay self-contained). Without a canvas (jsdom) every
 * function returns undefined and the panels draw their geometry only.
 */

let supported: boolean | undefined;

export function rasterSupported(): boolean {
  if (supported === undefined) {
    // jsdom has no canvas and logs an error on getContext: do not even try there.
    supported =
      typeof document !== 'undefined' &&
      !/jsdom/i.test(globalThis.navigator?.userAgent ?? '') &&
      document.createElement('canvas').getContext?.('2d') != null;
  }
  return supported;
}

function toDataUrl(width: number, height: number, rgba: Uint8ClampedArray): string | undefined {
  if (!rasterSupported() || width <= 0 || height <= 0) return undefined;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return canvas.toDataURL('image/png');
}

/** The inverse of the networks' input normalisation `(v - 127.5) * 0.0078125`, for display. */
function denormalise(v: number): number {
  return v / 0.0078125 + 127.5;
}

/** Copies a normalised HWC RGB block (w x h at `offset`) into an RGBA buffer at (dx, dy). */
function blit(
  src: Float32Array,
  offset: number,
  w: number,
  h: number,
  dst: Uint8ClampedArray,
  dstW: number,
  dx: number,
  dy: number,
): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = offset + (y * w + x) * 3;
      const d = ((dy + y) * dstW + dx + x) * 4;
      dst[d] = denormalise(src[s]);
      dst[d + 1] = denormalise(src[s + 1]);
      dst[d + 2] = denormalise(src[s + 2]);
      dst[d + 3] = 255;
    }
  }
}

const levelCache = new WeakMap<RgbImage, Map<string, string | undefined>>();

/** The pyramid level P-Net saw (the core's `resampleImage`), as a PNG data URL. */
export function levelDataUrl(rgb: RgbImage | undefined, width: number, height: number): string | undefined {
  if (!rgb || !rasterSupported()) return undefined;
  let byImage = levelCache.get(rgb);
  if (!byImage) {
    byImage = new Map();
    levelCache.set(rgb, byImage);
  }
  const key = `${width}x${height}`;
  if (!byImage.has(key)) {
    const rgba = new Uint8ClampedArray(width * height * 4);
    blit(resampleImage(rgb, width, height), 0, width, height, rgba, width, 0, 0);
    byImage.set(key, toDataUrl(width, height, rgba));
  }
  return byImage.get(key);
}

const heatCache = new WeakMap<LevelTrace, string | undefined>();
const heatLut: Array<[number, number, number]> = Array.from({ length: 256 }, (_, i) => {
  const c = color(heatColor(i / 255))!.rgb();
  return [c.r, c.g, c.b];
});

/**
 * A level's P-Net probability map, one pixel per cell, as a PNG data URL: inferno colours, and
 * transparent where the probability is low so the level's pixels show through.
 */
export function heatDataUrl(level: LevelTrace): string | undefined {
  if (!rasterSupported()) return undefined;
  if (!heatCache.has(level)) {
    const { mapWidth: w, mapHeight: h, prob } = level;
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h; i++) {
      const [r, g, b] = heatLut[Math.max(0, Math.min(255, Math.round(prob[i] * 255)))];
      rgba.set([r, g, b, Math.round(255 * Math.min(1, 0.15 + prob[i] * 1.1))], i * 4);
    }
    heatCache.set(level, toDataUrl(w, h, rgba));
  }
  return heatCache.get(level);
}

export interface AtlasLayout {
  /** Crop side (24 or 48). */
  size: number;
  cols: number;
  /** Cell pitch in atlas pixels (crop plus gap / label room). */
  pitchX: number;
  pitchY: number;
  /** Crop's top-left inside its cell. */
  inset: number;
}

/**
 * The crops the network saw (the core's `resampleArea` on each trace window: zero-pad or stretch
 * exactly as cropped), laid out on a grid in one PNG, cell i at column i % cols, row i / cols.
 */
export function cropAtlasDataUrl(
  rgb: RgbImage | undefined,
  windows: readonly Window[],
  layout: AtlasLayout,
  fill = 0,
): string | undefined {
  if (!rgb || !rasterSupported() || windows.length === 0) return undefined;
  const { size, cols, pitchX, pitchY, inset } = layout;
  const rows = Math.ceil(windows.length / cols);
  const W = Math.min(cols, windows.length) * pitchX;
  const H = rows * pitchY;
  const rgba = new Uint8ClampedArray(W * H * 4);
  const crop = new Float32Array(size * size * 3);
  windows.forEach((win, i) => {
    resampleArea(rgb, win, size, size, crop, 0, 'hwc', fill);
    blit(crop, 0, size, size, rgba, W, (i % cols) * pitchX + inset, Math.floor(i / cols) * pitchY + inset);
  });
  return toDataUrl(W, H, rgba);
}
