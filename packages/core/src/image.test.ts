import { describe, expect, it } from 'vitest';
import { MtcnnError } from './errors.js';
import { toRgbImage, type PixelData } from './image.js';

function codeOf(pixels: unknown): string | undefined {
  try {
    toRgbImage(pixels as PixelData);
  } catch (e) {
    expect(e).toBeInstanceOf(MtcnnError);
    return (e as MtcnnError).code;
  }
  return undefined;
}

describe('toRgbImage', () => {
  it('keeps 8-bit RGB as is (no copy)', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const img = toRgbImage({ data, width: 2, height: 1 });
    expect(img).toEqual({ data, width: 2, height: 1 });
    expect(img.data).toBe(data);
  });

  it('replicates grey (1 channel) to R, G, B', () => {
    const img = toRgbImage({ data: new Uint8Array([10, 200]), width: 1, height: 2 });
    expect(img.width).toBe(1);
    expect(img.height).toBe(2);
    expect(img.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(img.data)).toEqual([10, 10, 10, 200, 200, 200]);
  });

  it('drops alpha (4 channels), e.g. a canvas ImageData Uint8ClampedArray', () => {
    const img = toRgbImage({ data: new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 0]), width: 2, height: 1 });
    expect(img.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(img.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('copies 3-channel Uint8ClampedArray and non-8-bit data to the RGB layout', () => {
    const clamped = toRgbImage({ data: new Uint8ClampedArray([7, 8, 9]), width: 1, height: 1 });
    expect(clamped.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(clamped.data)).toEqual([7, 8, 9]);
    const floats = toRgbImage({ data: [0.5, 100, 255, 9], width: 2, height: 2, channels: 1 });
    expect(floats.data).toBeInstanceOf(Float32Array);
    expect(Array.from(floats.data)).toEqual([0.5, 0.5, 0.5, 100, 100, 100, 255, 255, 255, 9, 9, 9]);
  });

  it('uses explicit channels when given', () => {
    // 12 values for 1x3 pixels: 4 channels explicitly, alpha dropped.
    const img = toRgbImage({
      data: new Uint8Array([1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0]),
      width: 3,
      height: 1,
      channels: 4,
    });
    expect(Array.from(img.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 12 values for 2x2 pixels read as 3 channels by inference.
    expect(toRgbImage({ data: new Uint8Array(12), width: 2, height: 2 }).data).toHaveLength(12);
  });

  it('accepts an empty image', () => {
    expect(toRgbImage({ data: new Uint8Array(0), width: 0, height: 0 }).data).toHaveLength(0);
  });

  it.each([
    ['7 values for 2x2 (no whole channel count)', { data: new Uint8Array(7), width: 2, height: 2 }],
    ['2 channels inferred', { data: new Uint8Array(8), width: 2, height: 2 }],
    ['5 channels inferred', { data: new Uint8Array(20), width: 2, height: 2 }],
    ['explicit channels 3 but RGBA length', { data: new Uint8Array(16), width: 2, height: 2, channels: 3 }],
    ['explicit channels 4 but RGB length', { data: new Uint8Array(12), width: 2, height: 2, channels: 4 }],
    ['explicit channels 2', { data: new Uint8Array(8), width: 2, height: 2, channels: 2 }],
    ['non-integer width', { data: new Uint8Array(12), width: 1.5, height: 2 }],
    ['negative height', { data: new Uint8Array(12), width: 2, height: -2 }],
    ['NaN width', { data: new Uint8Array(12), width: NaN, height: 2 }],
    ['no data', { width: 2, height: 2 }],
    ['data not array-like', { data: 42, width: 1, height: 1 }],
    ['data for an empty image', { data: new Uint8Array(3), width: 0, height: 0 }],
  ])('throws INVALID_IMAGE for %s', (_name, pixels) => {
    expect(codeOf(pixels)).toBe('INVALID_IMAGE');
  });

  it('refuses float pixels that are NaN or infinite with INVALID_IMAGE (they resolved to [] silently)', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const f32 = new Float32Array(12).fill(100);
      f32[7] = bad;
      expect(codeOf({ data: f32, width: 2, height: 2 })).toBe('INVALID_IMAGE');
      expect(codeOf({ data: Array.from(f32), width: 2, height: 2, channels: 3 })).toBe('INVALID_IMAGE');
    }
    expect(codeOf({ data: new Float64Array(4).fill(1e308 * 10), width: 2, height: 2, channels: 1 })).toBe(
      'INVALID_IMAGE',
    );
    expect(codeOf({ data: new Float32Array(12).fill(254.5), width: 2, height: 2 })).toBeUndefined();
  });
});
