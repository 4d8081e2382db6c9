import { describe, expect, it } from 'vitest';
import { integralImage } from './integral.js';
import { areaSampler, resampleArea, resampleAreaIntegral, type Window } from './resample.js';

function randomImage(width: number, height: number, seed: number) {
  let s = seed;
  const data = new Uint8Array(width * height * 3).map(() => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 24) & 255;
  });
  return { data, width, height };
}

describe('integralImage', () => {
  it('holds the cumulative sums (hand-computed on a 2x2 image)', () => {
    // Red channel [[1, 2], [3, 4]]: the table's red entries are [[0,0,0],[0,1,3],[0,4,10]].
    const ii = integralImage({ data: Uint8Array.from([1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0]), width: 2, height: 2 });
    const red = Array.from({ length: 9 }, (_, k) => ii.table[k * 3]);
    expect(red).toEqual([0, 0, 0, 0, 1, 3, 0, 4, 10]);
  });

  it('recovers exact sums past 2^32 wrap-around (all-255 image whose total exceeds 2^32)', () => {
    // 4400 x 4000 x 255 = 4.488e9 > 2^32: the table wraps, window sums must not.
    const W = 4400;
    const H = 4000;
    const ii = integralImage({ data: new Uint8Array(W * H * 3).fill(255), width: W, height: H });
    const out = new Float32Array(3);
    resampleAreaIntegral(ii, { x0: W - 10, y0: H - 10, x1: W, y1: H }, 1, 1, out);
    expect(out[0]).toBe(Math.fround(Math.fround(255 - 127.5) * 0.0078125));
  });
});

describe('resampleAreaIntegral', () => {
  it('is bit-identical to direct summation: pyramid levels, crops, windows leaving the image', () => {
    const img = randomImage(97, 61, 7);
    const ii = integralImage(img);
    const windows: [Window, number, number][] = [
      [{ x0: 0, y0: 0, x1: 97, y1: 61 }, 59, 37], // a pyramid level (0.6)
      [{ x0: 0, y0: 0, x1: 97, y1: 61 }, 13, 12],
      [{ x0: 0, y0: 0, x1: 97, y1: 61 }, 150, 90], // upsampling
      // 8-9 x 8-9 windows: lookup tables (<= 64 pixels) and divisions in one row
      [{ x0: 0, y0: 0, x1: 97, y1: 61 }, 11, 7],
      [{ x0: 10, y0: 5, x1: 50, y1: 45 }, 24, 24], // a crop inside
      [{ x0: -7, y0: -3, x1: 30, y1: 34 }, 24, 24], // top-left outside (zero-pad)
      [{ x0: 80, y0: 40, x1: 130, y1: 90 }, 48, 48], // bottom-right outside
      [{ x0: -20, y0: -20, x1: -5, y1: -5 }, 24, 24], // wholly outside: black
      [{ x0: 5, y0: 5, x1: 5, y1: 9 }, 24, 24], // empty
    ];
    for (const [win, w, h] of windows) {
      const direct = new Float32Array(w * h * 3 + 5);
      const fast = new Float32Array(w * h * 3 + 5);
      resampleArea(img, win, w, h, direct, 5);
      resampleAreaIntegral(ii, win, w, h, fast, 5);
      expect(fast).toEqual(direct);
    }
  });

  it('counts pixels outside the image as the fill value, identically in both paths', () => {
    const img = randomImage(31, 23, 11);
    const ii = integralImage(img);
    for (const win of [
      { x0: -9, y0: -4, x1: 20, y1: 25 },
      { x0: 20, y0: 10, x1: 45, y1: 35 },
      { x0: -30, y0: -30, x1: -2, y1: -2 },
    ]) {
      const direct = new Float32Array(24 * 24 * 3);
      const fast = new Float32Array(24 * 24 * 3);
      resampleArea(img, win, 24, 24, direct, 0, 'hwc', 127.5);
      resampleAreaIntegral(ii, win, 24, 24, fast, 0, 'hwc', 127.5);
      expect(fast).toEqual(direct);
    }
    // Wholly outside, grey: every value is (127.5 - 127.5) * 0.0078125 = 0.
    const out = new Float32Array(12 * 12 * 3);
    resampleAreaIntegral(ii, { x0: -30, y0: -30, x1: -2, y1: -2 }, 12, 12, out, 0, 'hwc', 127.5);
    expect(out.every((v) => v === 0)).toBe(true);
    // Half outside (columns -10..-1 of a 20-wide window to 20 output columns): the left half is grey.
    const half = new Float32Array(20 * 12 * 3);
    resampleArea(img, { x0: -10, y0: 0, x1: 10, y1: 12 }, 20, 12, half, 0, 'hwc', 127.5);
    for (let y = 0; y < 12; y++) for (let x = 0; x < 10; x++) expect(half[(y * 20 + x) * 3]).toBe(0);
  });

  it('areaSampler uses direct sums for float images, with the same results as for their 8-bit twin', () => {
    const img = randomImage(40, 30, 3);
    const asFloat = { data: Float32Array.from(img.data), width: 40, height: 30 };
    const win = { x0: -3, y0: 2, x1: 33, y1: 38 };
    const a = new Float32Array(24 * 24 * 3);
    const b = new Float32Array(24 * 24 * 3);
    areaSampler(img).resample(win, 24, 24, a);
    areaSampler(asFloat).resample(win, 24, 24, b);
    expect(b).toEqual(a);
  });
});
