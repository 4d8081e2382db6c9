import type { LevelTrace, RgbImage, Window } from '@mtcnn/core';
import { areaSampler, type AreaSampler } from '@mtcnn/core/backend-kit';
import { color } from 'd3';
import { heatColor } from './colors.js';

/**
 * Pixels for the panels, made with the core's own resampling (one summed-area table per image,
 * `areaSampler`: the pyramid levels and the trace's crop windows), so what is shown is exactly
 * what the networks saw. Large pictures are made incrementally: a renderer gets a `Pending`
 * picture, draws a stand-in, and swaps it in when ready; one picture is made per task (the page
 * keeps answering between them) and PNG-encoded off the main thread (`canvas.toBlob`), as a
 * `blob:` URL ("Export SVG" inlines those). Without a canvas (jsdom) nothing is made and the
 * panels draw their geometry only.
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

/** A picture being made: `href` once ready (synchronously, when it was cached), and a promise of it. */
export interface Pending {
  href?: string;
  ready: Promise<string | undefined>;
}

const none: Pending = { ready: Promise.resolve(undefined) };

function canvasOf(width: number, height: number, rgba: Uint8ClampedArray): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return canvas;
}

/** A PNG made off the main thread (toBlob), as an object URL. */
function toBlobUrl(canvas: HTMLCanvasElement): Promise<string | undefined> {
  return new Promise((resolve) => {
    canvas.toBlob((blob) => resolve(blob ? URL.createObjectURL(blob) : undefined), 'image/png');
  });
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

/** Per image: its sampler (summed-area table, built once) and its pictures by key. */
interface ImageCache {
  sampler?: AreaSampler;
  pictures: Map<string, Pending>;
}
const images = new Map<RgbImage, ImageCache>();
/** Pictures of this many images are kept; older ones' URLs are revoked. */
const KEEP_IMAGES = 2;

function cacheOf(rgb: RgbImage): ImageCache {
  let c = images.get(rgb);
  if (!c) {
    c = { pictures: new Map() };
    images.set(rgb, c);
    while (images.size > KEEP_IMAGES) {
      const [oldRgb, old] = images.entries().next().value!;
      images.delete(oldRgb);
      old.sampler?.release();
      for (const p of old.pictures.values()) void p.ready.then((u) => u?.startsWith('blob:') && URL.revokeObjectURL(u));
    }
  }
  return c;
}

/** One picture-making task at a time, each in its own macrotask, so the page draws between them. */
let queue: Promise<unknown> = Promise.resolve();
const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function schedule(
  rgb: RgbImage,
  key: string,
  make: (sampler: () => AreaSampler) => HTMLCanvasElement | undefined,
): Pending {
  if (!rasterSupported()) return none;
  const cache = cacheOf(rgb);
  const hit = cache.pictures.get(key);
  if (hit) return hit;
  const p: Pending = { ready: Promise.resolve(undefined) };
  const job = queue.then(async () => {
    await nextTask();
    if (!images.has(rgb)) return undefined; // evicted meanwhile
    // The summed-area table only when a picture needs resampling (not for pictures the worker made).
    const canvas = make(() => {
      cache.sampler ??= areaSampler(rgb);
      return cache.sampler;
    });
    const url = canvas ? await toBlobUrl(canvas) : undefined;
    p.href = url;
    return url;
  });
  queue = job.catch(() => undefined);
  p.ready = job.catch(() => undefined);
  cache.pictures.set(key, p);
  return p;
}

/**
 * The pyramid level P-Net saw: the picture the detector's side made of it (`given`), else the
 * core's area resampling of the whole image, here.
 */
export function levelPicture(rgb: RgbImage | undefined, width: number, height: number, given?: Blob): Pending {
  if (!rgb || !rasterSupported()) return none;
  const key = `level ${width}x${height}`;
  const cache = cacheOf(rgb);
  if (given && !cache.pictures.get(key)?.href) {
    const href = URL.createObjectURL(given);
    const p: Pending = { href, ready: Promise.resolve(href) };
    cache.pictures.set(key, p);
    return p;
  }
  return schedule(rgb, key, (sampler) => {
    const level = new Float32Array(width * height * 3);
    sampler().resample({ x0: 0, y0: 0, x1: rgb.width, y1: rgb.height }, width, height, level);
    const rgba = new Uint8ClampedArray(width * height * 4);
    blit(level, 0, width, height, rgba, width, 0, 0);
    return canvasOf(width, height, rgba);
  });
}

/**
 * Sets an `<image>`'s href to the picture when it is ready (and marks it `exact`), keeping the
 * stand-in until then; nothing happens if the element left the page meanwhile.
 */
export function whenReady(
  el: { attr(name: string, value: string): unknown; node(): Element | null },
  p: Pending,
): void {
  if (p.href) {
    el.attr('href', p.href);
    el.node()?.classList.add('exact');
    return;
  }
  void p.ready.then((url) => {
    const node = el.node();
    if (!url || !node?.isConnected) return;
    el.attr('href', url);
    node.classList.add('exact');
  });
}

const heatCache = new WeakMap<LevelTrace, string | undefined>();
const heatLut: Array<[number, number, number]> = Array.from({ length: 256 }, (_, i) => {
  const c = color(heatColor(i / 255))!.rgb();
  return [c.r, c.g, c.b];
});

/**
 * A level's P-Net probability map, one pixel per cell, as a PNG data URL: inferno colours, and
 * transparent where the probability is low so the level's pixels show through. (A map has a
 * quarter of its level's pixels per side squared: small enough to encode on the spot.)
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
    heatCache.set(level, w > 0 && h > 0 ? canvasOf(w, h, rgba).toDataURL('image/png') : undefined);
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
 * The crops the network saw (the core's resampling of each trace window: grey / zero fill or
 * stretch exactly as cropped), laid out on a grid in one picture, cell i at column i % cols, row
 * i / cols.
 */
export function cropAtlas(
  rgb: RgbImage | undefined,
  windows: readonly Window[],
  layout: AtlasLayout,
  fill = 0,
  given?: GivenCrops,
): Pending {
  if (!rgb || windows.length === 0) return none;
  const { size, cols, pitchX, pitchY, inset } = layout;
  const key =
    `atlas ${size} ${cols} ${pitchX} ${pitchY} ${inset} ${fill} ${given ? 'given' : ''} ` +
    `${windows.map((w) => `${w.x0},${w.y0},${w.x1},${w.y1}`).join(';')}`;
  return schedule(rgb, key, (sampler) => {
    const rows = Math.ceil(windows.length / cols);
    const W = Math.min(cols, windows.length) * pitchX;
    const H = rows * pitchY;
    const rgba = new Uint8ClampedArray(W * H * 4);
    const crop = new Float32Array(size * size * 3);
    const per = size * size * 4;
    windows.forEach((win, i) => {
      const dx = (i % cols) * pitchX + inset;
      const dy = Math.floor(i / cols) * pitchY + inset;
      const at = given ? given.index[i] * per : -1;
      if (given && at >= 0 && at + per <= given.rgba.length) {
        // The network's own input, as the worker pictured it: rows copied into place.
        for (let y = 0; y < size; y++)
          rgba.set(given.rgba.subarray(at + y * size * 4, at + (y + 1) * size * 4), ((dy + y) * W + dx) * 4);
        return;
      }
      sampler().resample(win, size, size, crop, 0, 'hwc', fill);
      blit(crop, 0, size, size, rgba, W, dx, dy);
    });
    return canvasOf(W, H, rgba);
  });
}

/** Crops pictured by the detector's side: RGBA, crop after crop; `index[i]` is window i's crop. */
export interface GivenCrops {
  rgba: Uint8ClampedArray;
  index: readonly number[];
}
