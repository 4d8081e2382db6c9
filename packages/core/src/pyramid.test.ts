import { describe, expect, it } from 'vitest';
import { PNET_CELL, levelSize, pyramidLevelCount, pyramidScales } from './pyramid.js';
import { pnetOutputSize } from './backend.js';

describe('pyramidScales', () => {
  it('gives 10 levels for 640x480 at minFaceSize 20, factor 0.709, by repeated multiplication', () => {
    const scales = pyramidScales(480, 640, 20, 0.709);
    expect(scales).toHaveLength(10);
    // m = 12 / 20 = 0.6; the next scale is 0.6 * 0.709 = 0.4254.
    expect(scales[0]).toBe(0.6);
    expect(scales[1]).toBe(0.6 * 0.709);
    expect(scales[1]).toBeCloseTo(0.4254, 12);
    // Every scale is the previous one times the factor, in float64 (not 0.6 * 0.709 ** k).
    let s = 0.6;
    for (let k = 0; k < scales.length; k++) {
      expect(scales[k]).toBe(s);
      s *= 0.709;
    }
  });

  it('keeps a level while min(h, w) * m * factor^k >= 12 (stops at the first one below)', () => {
    // 640x480: 480 * 0.6 = 288; 288 * 0.709^9 ~ 12.6 (kept), 288 * 0.709^10 ~ 8.9 (dropped).
    const scales = pyramidScales(480, 640, 20, 0.709);
    const minl = 480 * scales[scales.length - 1];
    expect(minl).toBeGreaterThanOrEqual(12);
    expect(minl * 0.709).toBeLessThan(12);
  });

  it('keeps a level whose side is exactly 12 (>=, not >)', () => {
    // min side 24, m = 1, factor 0.5: 24 (kept), 12 (kept, exactly 12), 6 (dropped).
    expect(pyramidScales(24, 100, 12, 0.5)).toEqual([1, 0.5]);
    // 23: 23 (kept), 11.5 (dropped).
    expect(pyramidScales(23, 100, 12, 0.5)).toEqual([1]);
    // The smaller side decides, whichever it is.
    expect(pyramidScales(100, 24, 12, 0.5)).toEqual([1, 0.5]);
  });

  it('gives no scales for images too small for one P-Net window', () => {
    // minFaceSize 20: 19 * 0.6 = 11.4 < 12.
    expect(pyramidScales(19, 640, 20, 0.709)).toEqual([]);
    expect(pyramidScales(11, 11, 12, 0.709)).toEqual([]);
    expect(pyramidScales(0, 0, 20, 0.709)).toEqual([]);
    // 20 * 0.6 = 12: exactly one level.
    expect(pyramidScales(20, 640, 20, 0.709)).toEqual([0.6]);
  });

  it('starts at scale 1 with minFaceSize 12', () => {
    // m = 1: 12 (kept), 12 * 0.709 = 8.5 (dropped).
    expect(pyramidScales(12, 12, 12, 0.709)).toEqual([1]);
    // 40: 40, 28.36, 20.1, 14.26 (kept), 10.1 (dropped).
    const scales = pyramidScales(40, 40, 12, 0.709);
    expect(scales).toHaveLength(4);
    expect(scales[0]).toBe(1);
    expect(scales[3]).toBe(1 * 0.709 * 0.709 * 0.709);
  });

  it('matches the scale counts of the reference (docs/architecture.md)', () => {
    // 1080 * 0.6 = 648, 648 * 0.709^11 ~ 14.1; 630 * 0.6 = 378, 378 * 0.709^10 ~ 12.1; 148 * 0.6 = 88.8, 88.8 * 0.709^5
    // ~ 15.5.
    expect(pyramidScales(1080, 1920, 20, 0.709)).toHaveLength(12);
    expect(pyramidScales(630, 1200, 20, 0.709)).toHaveLength(11);
    expect(pyramidScales(480, 640, 20, 0.709)).toHaveLength(10);
    expect(pyramidScales(148, 199, 20, 0.709)).toHaveLength(6);
  });

  it('is decreasing and every scale is at most 12 / minFaceSize', () => {
    for (const [h, w, m, f] of [
      [480, 640, 20, 0.709],
      [1080, 1920, 40, 0.5],
      [300, 200, 12, 0.9],
    ]) {
      const scales = pyramidScales(h, w, m, f);
      expect(scales[0]).toBe(PNET_CELL / m);
      for (let k = 1; k < scales.length; k++) expect(scales[k]).toBeLessThan(scales[k - 1]);
    }
  });
});

describe('levelSize', () => {
  it('is floor(h*s + 1) x floor(w*s + 1): 640x480 at 0.6 -> 385 wide, 289 high', () => {
    expect(levelSize(480, 640, 0.6)).toEqual({ height: 289, width: 385 });
  });

  it('640x480 at 0.6 * 0.709 = 0.4254 -> 273 x 205', () => {
    // 480 * 0.4254 = 204.19 -> 205; 640 * 0.4254 = 272.26 -> 273.
    expect(levelSize(480, 640, 0.6 * 0.709)).toEqual({ height: 205, width: 273 });
  });

  it('adds one even when h*s is an integer', () => {
    expect(levelSize(100, 50, 0.5)).toEqual({ height: 51, width: 26 });
    expect(levelSize(12, 12, 1)).toEqual({ height: 13, width: 13 });
  });

  it('every level of a pyramid is at least 12 px, so P-Net gives at least one cell', () => {
    for (const [h, w] of [
      [480, 640],
      [148, 199],
      [20, 33],
      [1080, 1920],
    ]) {
      for (const s of pyramidScales(h, w, 20, 0.709)) {
        const l = levelSize(h, w, s);
        expect(Math.min(l.height, l.width)).toBeGreaterThanOrEqual(12);
        expect(pnetOutputSize(Math.min(l.height, l.width))).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

describe('pyramidLevelCount', () => {
  it('counts the levels pyramidScales gives, and stops counting at `stop`', () => {
    for (const [side, min, f] of [
      [480, 20, 0.709],
      [10_000, 20, 0.709],
      [24, 12, 0.5],
      [11, 12, 0.709],
      [1080, 40, 0.9],
    ])
      expect(pyramidLevelCount(side, min, f)).toBe(pyramidScales(side, side * 2, min, f).length);
    // 0.9999999 would be ~33 million levels; counting stops at once.
    expect(pyramidLevelCount(10_000, 20, 0.9999999, 101)).toBe(101);
  });
});
