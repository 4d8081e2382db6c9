import { describe, expect, it } from 'vitest';
import { levelRows, pnetStrips } from './strips.js';

describe('pnetStrips', () => {
  it('covers the map once, with even input starts and heights except the last, which ends at the bottom', () => {
    // 101 rows -> map rows ceil(99 / 2) - 4 = 46.
    const strips = pnetStrips(101, 50, 46, 20 * 50);
    expect(strips[0]).toEqual({ y0: 0, y1: 5, r0: 0, rows: 20 });
    expect(strips.map((s) => [s.y0, s.y1])).toEqual(
      Array.from({ length: 10 }, (_, i) => [i * 5, Math.min(46, i * 5 + 5)]),
    );
    const last = strips[strips.length - 1];
    expect(last.r0 + last.rows).toBe(101);
    for (const s of strips) {
      expect(s.r0 % 2).toBe(0);
      // Each strip's own map has exactly its rows: ceil((rows - 2) / 2) - 4.
      expect(Math.ceil((s.rows - 2) / 2) - 4).toBe(s.y1 - s.y0);
    }
  });

  it('is one strip when the level fits', () => {
    expect(pnetStrips(101, 50, 46, 1e6)).toEqual([{ y0: 0, y1: 46, r0: 0, rows: 101 }]);
  });
});

describe('levelRows', () => {
  it('cuts rows out of HWC (a view) and CHW (per plane) levels', () => {
    // 4 rows x 2 columns x 3 channels.
    const hwc = Float32Array.from({ length: 24 }, (_, i) => i);
    expect(Array.from(levelRows(hwc, 'hwc', 4, 2, 1, 2))).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    const chw = Float32Array.from({ length: 24 }, (_, i) => i); // planes of 8
    expect(Array.from(levelRows(chw, 'chw', 4, 2, 1, 2))).toEqual([2, 3, 4, 5, 10, 11, 12, 13, 18, 19, 20, 21]);
  });
});
