import { describe, expect, it } from 'vitest';
import { toNCHW, toNHWC } from './layout.js';

// 2 images of 1x2 pixels, 3 channels; value = 100*n + 10*pixel + c.
const HWC = [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112];
const CHW = [0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112];

describe('pixel layout conversions', () => {
  it('toNCHW moves channels in front of the spatial axes, per image; toNHWC undoes it', () => {
    expect(Array.from(toNCHW(Float32Array.from(HWC), 2, 1, 2, 3))).toEqual(CHW);
    expect(Array.from(toNHWC(Float32Array.from(CHW), 2, 1, 2, 3))).toEqual(HWC);
  });

  it('write into a given buffer and reject a wrong length', () => {
    const out = new Float32Array(6);
    expect(toNCHW(Float32Array.from([1, 2, 3, 4, 5, 6]), 1, 2, 1, 3, out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => toNCHW(new Float32Array(5), 1, 2, 1, 3)).toThrow(RangeError);
    expect(() => toNHWC(new Float32Array(7), 1, 2, 1, 3)).toThrow(RangeError);
  });
});
