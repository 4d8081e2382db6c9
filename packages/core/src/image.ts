import { MtcnnError } from './errors.js';

/**
 * Raw pixels as the core accepts them: interleaved (HWC), row-major, 0..255 per channel.
 * `channels` 1 = grey, 3 = RGB, 4 = RGBA (alpha ignored). Defaults to `data.length / (w*h)`.
 */
export interface PixelData {
  data: Uint8Array | Uint8ClampedArray | Float32Array | Float64Array | number[];
  width: number;
  height: number;
  channels?: 1 | 3 | 4;
}

/** What the cascade works on: RGB, HWC, 0..255 (integers for decoded images). */
export interface RgbImage {
  readonly data: Uint8Array | Float32Array;
  readonly width: number;
  readonly height: number;
}

function isIntegerSide(v: number): boolean {
  return Number.isInteger(v) && v >= 0;
}

/**
 * The one place raw pixels become the RGB image the cascade reads. Validates the shape; grey is
 * replicated to three channels; alpha is dropped. 8-bit data is kept as is (no copy for RGB).
 */
export function toRgbImage(pixels: PixelData): RgbImage {
  const { data, width, height } = pixels;
  if (!data || typeof (data as { length?: unknown }).length !== 'number') {
    throw new MtcnnError('INVALID_IMAGE', 'Image data must be a typed array or number array of pixels (HWC, 0..255).');
  }
  if (!isIntegerSide(width) || !isIntegerSide(height)) {
    throw new MtcnnError(
      'INVALID_IMAGE',
      `Image width and height must be non-negative integers, got ${width}x${height}.`,
    );
  }
  const count = width * height;
  const channels = pixels.channels ?? (count > 0 ? data.length / count : 3);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new MtcnnError(
      'INVALID_IMAGE',
      `Image data has ${data.length} values for ${width}x${height} ` +
        `pixels; expected 1, 3 or 4 channels (grey, RGB, RGBA).`,
    );
  }
  if (data.length !== count * channels) {
    throw new MtcnnError(
      'INVALID_IMAGE',
      `Image data has ${data.length} values; ${width}x${height}x${channels} needs ${count * channels}.`,
    );
  }
  const eightBit = data instanceof Uint8Array || data instanceof Uint8ClampedArray;
  if (!eightBit) {
    // NaN or an infinity would slip through every comparison of the cascade and give [] silently.
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new MtcnnError(
          'INVALID_IMAGE',
          `Image data holds ${data[i]} at index ${i}: pixel values must be finite numbers (0..255).`,
        );
      }
    }
  }
  if (channels === 3 && data instanceof Uint8Array) return { data, width, height };
  const out = eightBit ? new Uint8Array(count * 3) : new Float32Array(count * 3);
  for (let i = 0, o = 0, s = 0; i < count; i++, o += 3, s += channels) {
    if (channels === 1) {
      out[o] = out[o + 1] = out[o + 2] = data[s];
    } else {
      out[o] = data[s];
      out[o + 1] = data[s + 1];
      out[o + 2] = data[s + 2];
    }
  }
  return { data: out, width, height };
}
