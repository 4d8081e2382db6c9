import { describe, expect, it } from 'vitest';
import type { RgbImage } from './image.js';
import { warpSimilarity } from './warp.js';

/** A `w` x `h` image whose pixel (x, y) is (x, y, x + y) (small enough to stay 8-bit). */
function ramp(w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x, y, x + y], (y * w + x) * 3);
  return { data, width: w, height: h };
}

const at = (d: Uint8Array, w: number, x: number, y: number): number[] =>
  Array.from(d.subarray((y * w + x) * 3, (y * w + x) * 3 + 3));

describe('warpSimilarity', () => {
  it('copies pixels under the identity and an integer shift', () => {
    const img = ramp(8, 6);
    expect(warpSimilarity(img, { a: 1, b: 0, tx: 0, ty: 0 }, 8, 6)).toEqual(img.data);
    // Output (u, v) reads image (u + 2, v + 1).
    const out = warpSimilarity(img, { a: 1, b: 0, tx: 2, ty: 1 }, 4, 3);
    expect(at(out, 4, 0, 0)).toEqual([2, 1, 3]);
    expect(at(out, 4, 3, 2)).toEqual([5, 3, 8]);
  });

  it('interpolates bilinearly: on a linear ramp, a point between pixels reads the linear value', () => {
    const img = ramp(10, 10);
    // Output (u, v) reads image (u + 2.25, v + 3.5): R = x, G = y, B = x + y, rounded.
    const out = warpSimilarity(img, { a: 1, b: 0, tx: 2.25, ty: 3.5 }, 2, 2);
    expect(at(out, 2, 0, 0)).toEqual([2, 4, 6]); // 2.25 -> 2, 3.5 -> 4 (round half up), 5.75 -> 6
    expect(at(out, 2, 1, 1)).toEqual([3, 5, 8]); // 3.25, 4.5, 7.75
  });

  it('rotates: a quarter turn reads image (v, -u + 6) at output (u, v)', () => {
    const img = ramp(7, 7);
    // x = 0*u - 1*v + 6 ... choose a = 0, b = 1: x = -v + 6, y = u.
    const out = warpSimilarity(img, { a: 0, b: 1, tx: 6, ty: 0 }, 7, 7);
    for (let v = 0; v < 7; v++) for (let u = 0; u < 7; u++) expect(at(out, 7, u, v)).toEqual([6 - v, u, 6 - v + u]);
  });

  it('reads black outside the image, fading over the one pixel next to the edge', () => {
    const img: RgbImage = { data: new Uint8Array(4 * 4 * 3).fill(200), width: 4, height: 4 };
    // Output (u, 0) reads image (u - 2, 0) ... (u - 2 = -2: outside; -0.5: half in, half out).
    const out = warpSimilarity(img, { a: 1, b: 0, tx: -2, ty: 0 }, 6, 1);
    expect(at(out, 6, 0, 0)).toEqual([0, 0, 0]);
    expect(at(out, 6, 2, 0)).toEqual([200, 200, 200]);
    const half = warpSimilarity(img, { a: 1, b: 0, tx: -0.5, ty: 0 }, 1, 1);
    expect(Array.from(half)).toEqual([100, 100, 100]);
    // Far outside, in every direction.
    expect(Array.from(warpSimilarity(img, { a: 1, b: 0, tx: 100, ty: -100 }, 2, 2))).toEqual(new Array(12).fill(0));
  });

  it('takes float images and clamps to 0..255', () => {
    const img: RgbImage = { data: new Float32Array([300, -5, 127.6]), width: 1, height: 1 };
    expect(Array.from(warpSimilarity(img, { a: 1, b: 0, tx: 0, ty: 0 }, 1, 1))).toEqual([255, 0, 128]);
  });
});
