import type { MtcnnBackend, PixelLayout } from '@mtcnn/core';
import type { NetworkPictures } from '../model.js';

/**
 * The networks' inputs as pictures, captured where they are made: the pyramid levels P-Net is
 * given and the R-Net / O-Net crops, straight from the calls to the backend (so they are exactly
 * what the networks saw, and the page does not resample the image again). Used in the detection
 * worker: the pictures are made there, off the page's thread (bug: the first render of a 2048x1991
 * image blocked the page for seconds while the page resampled it).
 */
export type CapturedInputs = NetworkPictures;

/** Normalised RGB (`(v - 127.5) * 0.0078125`, HWC or planes) back to 8-bit RGBA. */
export function toRgba(
  data: Float32Array,
  offset: number,
  width: number,
  height: number,
  layout: PixelLayout,
  out: Uint8ClampedArray,
  outOffset = 0,
): void {
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const o = outOffset + i * 4;
    for (let c = 0; c < 3; c++) {
      const v = layout === 'chw' ? data[offset + c * n + i] : data[offset + i * 3 + c];
      out[o + c] = v / 0.0078125 + 127.5;
    }
    out[o + 3] = 255;
  }
}

export interface CapturingBackend extends MtcnnBackend {
  /** What the last detection's calls gave (levels not yet taken are included, then forgotten). */
  take(): Promise<CapturedInputs>;
  /** A new image: levels of the same size are new pictures again. */
  forgetLevels(): void;
  /** A detection starts: the crops of an earlier, unfinished one are dropped. */
  begin(): void;
}

/** Wraps `inner`; `encode` turns RGBA into a PNG blob (an OffscreenCanvas in a worker). */
export function createCapturingBackend(
  inner: MtcnnBackend,
  encode: (rgba: Uint8ClampedArray, width: number, height: number) => Promise<Blob>,
): CapturingBackend {
  const sent = new Set<string>();
  let levels: Array<Promise<[string, Blob]>> = [];
  let rnet: Uint8ClampedArray[] = [];
  let onet: Uint8ClampedArray[] = [];
  const crops = (data: Float32Array, count: number, side: number, layout: PixelLayout = 'hwc'): Uint8ClampedArray => {
    const per = side * side;
    const out = new Uint8ClampedArray(count * per * 4);
    for (let k = 0; k < count; k++) toRgba(data, k * per * 3, side, side, layout, out, k * per * 4);
    return out;
  };
  const join = (parts: Uint8ClampedArray[]): Uint8ClampedArray | undefined => {
    if (parts.length === 0) return undefined;
    if (parts.length === 1) return parts[0];
    const out = new Uint8ClampedArray(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  return {
    get name() {
      return inner.name;
    },
    pixelLayout: inner.pixelLayout,
    inFlight: inner.inFlight,
    runPNet(level, height, width, layout) {
      const key = `${width}x${height}`;
      if (!sent.has(key)) {
        sent.add(key);
        const rgba = new Uint8ClampedArray(width * height * 4);
        toRgba(level, 0, width, height, layout ?? 'hwc', rgba);
        levels.push(encode(rgba, width, height).then((b) => [key, b] as [string, Blob]));
      }
      return inner.runPNet(level, height, width, layout);
    },
    runRNet(data, count, layout) {
      rnet.push(crops(data, count, 24, layout));
      return inner.runRNet(data, count, layout);
    },
    runONet(data, count, layout) {
      onet.push(crops(data, count, 48, layout));
      return inner.runONet(data, count, layout);
    },
    async take() {
      const pending = levels;
      const out: CapturedInputs = {
        levels: Object.fromEntries(await Promise.all(pending)),
        rnet: join(rnet),
        onet: join(onet),
      };
      levels = [];
      rnet = [];
      onet = [];
      return out;
    },
    forgetLevels() {
      sent.clear();
    },
    begin() {
      rnet = [];
      onet = [];
    },
    dispose() {
      inner.dispose();
    },
  };
}
