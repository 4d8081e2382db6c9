import { describe, expect, it } from 'vitest';
import { convKernelHWIO, convKernelOIHW, denseForNHWCFlatten } from './layout.js';

const f32 = (a: number[]) => new Float32Array(a);

describe('convKernelHWIO', () => {
  it('swaps the two spatial axes and keeps in/out together', () => {
    // Stored [x=2, y=3, in=1, out=2], value 100*o + 10*x + y.
    const stored = { shape: [2, 3, 1, 2], data: f32([0, 100, 1, 101, 2, 102, 10, 110, 11, 111, 12, 112]) };
    const k = convKernelHWIO(stored);
    expect(k.shape).toEqual([3, 2, 1, 2]);
    expect(Array.from(k.data)).toEqual([0, 100, 10, 110, 1, 101, 11, 111, 2, 102, 12, 112]);
  });

  it('is the identity on 1x1 kernels and rejects non-4-d input', () => {
    const k = convKernelHWIO({ shape: [1, 1, 2, 3], data: f32([1, 2, 3, 4, 5, 6]) });
    expect(Array.from(k.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => convKernelHWIO({ shape: [6], data: f32([1, 2, 3, 4, 5, 6]) })).toThrow(RangeError);
  });
});

describe('convKernelOIHW', () => {
  it('gives [out, in, kh (y), kw (x)]', () => {
    // Stored [x=2, y=3, in=2, out=1], value 100*i + 10*x + y.
    const stored = { shape: [2, 3, 2, 1], data: f32([0, 100, 1, 101, 2, 102, 10, 110, 11, 111, 12, 112]) };
    const k = convKernelOIHW(stored);
    expect(k.shape).toEqual([1, 2, 3, 2]);
    expect(Array.from(k.data)).toEqual([0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112]);
  });
});

describe('denseForNHWCFlatten', () => {
  it('reorders rows from (W, H, C) to (H, W, C)', () => {
    // H=2, W=3, C=1, out=1; stored row (x*H + y) holds 10*x + y.
    const m = denseForNHWCFlatten({ shape: [6, 1], data: f32([0, 1, 10, 11, 20, 21]) }, 2, 3, 1);
    expect(m.shape).toEqual([6, 1]);
    expect(Array.from(m.data)).toEqual([0, 10, 20, 1, 11, 21]);
  });

  it('makes a plain NHWC flatten give the same product as the stored (W, H, C) flatten', () => {
    const [H, W, C, O] = [3, 2, 2, 3];
    const n = H * W * C;
    const stored = { shape: [n, O], data: f32(Array.from({ length: n * O }, (_, i) => ((i * 37) % 11) - 5)) };
    const feat = (y: number, x: number, c: number) => y * 7 - x * 3 + c * 5 + 1;
    const m = denseForNHWCFlatten(stored, H, W, C);
    for (let o = 0; o < O; o++) {
      let viaStored = 0;
      let viaNHWC = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          for (let c = 0; c < C; c++) {
            viaStored += feat(y, x, c) * stored.data[((x * H + y) * C + c) * O + o];
            viaNHWC += feat(y, x, c) * m.data[((y * W + x) * C + c) * O + o];
          }
        }
      }
      expect(viaNHWC).toBe(viaStored);
    }
  });

  it('rejects a matrix whose rows do not match the map', () => {
    expect(() => denseForNHWCFlatten({ shape: [6, 1], data: f32([0, 1, 2, 3, 4, 5]) }, 2, 2, 1)).toThrow(RangeError);
  });
});
