import { describe, expect, it } from 'vitest';
import { regressPNet, regressPlusOne, square, toXywh, type Box, type Offsets } from './box.js';

const isF32 = (v: number): boolean => Math.fround(v) === v;

describe('regressPNet (width without +1)', () => {
  it('moves each side by its offset times the box width / height', () => {
    // w = 30 - 10 = 20, h = 60 - 20 = 40.
    // x1 = 10 + 0.125*20 = 12.5, y1 = 20 + 0.25*40 = 30, x2 = 30 - 0.5*20 = 20, y2 = 60 + 0.75*40 = 90.
    expect(regressPNet([10, 20, 30, 60], [0.125, 0.25, -0.5, 0.75])).toEqual([12.5, 30, 20, 90]);
  });

  it('is the identity with zero offsets', () => {
    expect(regressPNet([1, 2, 13, 14], [0, 0, 0, 0])).toEqual([1, 2, 13, 14]);
  });
});

describe('regressPlusOne (width with +1)', () => {
  it('moves each side by its offset times (width + 1) / (height + 1)', () => {
    // w = 21, h = 41.
    // x1 = 10 + 0.125*21 = 12.625, y1 = 20 + 0.25*41 = 30.25, x2 = 30 - 0.5*21 = 19.5, y2 = 60 + 0.75*41 = 90.75.
    expect(regressPlusOne([10, 20, 30, 60], [0.125, 0.25, -0.5, 0.75])).toEqual([12.625, 30.25, 19.5, 90.75]);
  });

  it('differs from regressPNet by exactly one offset unit per side', () => {
    const b: Box = [0, 0, 8, 8];
    const r: Offsets = [0.5, 0.5, 0.5, 0.5];
    // P-Net: 0 + 0.5*8 = 4, 8 + 4 = 12; +1: 0 + 0.5*9 = 4.5, 8 + 4.5 = 12.5.
    expect(regressPNet(b, r)).toEqual([4, 4, 12, 12]);
    expect(regressPlusOne(b, r)).toEqual([4.5, 4.5, 12.5, 12.5]);
  });
});

describe('square', () => {
  it('makes a tall box square around its centre, side = height', () => {
    // w = 20, h = 40, l = 40: x1 = 10 + 10 - 20 = 0, y1 = 20 + 20 - 20 = 20.
    expect(square([10, 20, 30, 60])).toEqual([0, 20, 40, 60]);
  });

  it('makes a wide box square around its centre, side = width', () => {
    // w = 30, h = 10, l = 30: x1 = 0, y1 = 0 + 5 - 15 = -10.
    expect(square([0, 0, 30, 10])).toEqual([0, -10, 30, 20]);
  });

  it('keeps a square box and does not round', () => {
    expect(square([1.5, 2.25, 11.5, 12.25])).toEqual([1.5, 2.25, 11.5, 12.25]);
    // w = 3, h = 4: x1 = 0.5 + 1.5 - 2 = 0, side 4.
    expect(square([0.5, 0, 3.5, 4])).toEqual([0, 0, 4, 4]);
  });

  it('keeps the centre and gives side max(w, h) (invariant, up to float32 rounding)', () => {
    for (const b of [
      [3.7, 8.1, 50.3, 20.9],
      [-12.2, 100.4, 0.3, 250.6],
      [0.1, 0.2, 0.3, 0.4],
    ] as Box[]) {
      const s = square(b);
      const l = Math.max(b[2] - b[0], b[3] - b[1]);
      expect(s[2] - s[0]).toBeCloseTo(l, 4);
      expect(s[3] - s[1]).toBeCloseTo(l, 4);
      expect((s[0] + s[2]) / 2).toBeCloseTo((b[0] + b[2]) / 2, 4);
      expect((s[1] + s[3]) / 2).toBeCloseTo((b[1] + b[3]) / 2, 4);
    }
  });
});

describe('float32 box arithmetic', () => {
  it('every output of regressPNet, regressPlusOne and square is a float32 value', () => {
    const boxes: Box[] = [
      [0.1, 0.2, 10.3, 7.7],
      [Math.fround(1 / 3), 2, Math.fround(100 / 7), 50.05],
      [-5.5, 10.2, 30.7, 46.4],
    ];
    const offsets: Offsets[] = [
      [0.1, -0.2, 0.3, -0.05],
      [Math.fround(1 / 3), Math.fround(-1 / 7), 0.01, 0.99],
    ];
    for (const b of boxes.map((x) => x.map(Math.fround) as Box)) {
      for (const r of offsets.map((x) => x.map(Math.fround) as Offsets)) {
        for (const out of [regressPNet(b, r), regressPlusOne(b, r), square(b), square(regressPNet(b, r))]) {
          for (const v of out) expect(isF32(v), `${v} from ${b} / ${r}`).toBe(true);
        }
      }
    }
  });
});

describe('toXywh', () => {
  it('gives [x, y, width, height]', () => {
    expect(toXywh([1, 2, 13, 10])).toEqual([1, 2, 12, 8]);
    expect(toXywh([-5, -4, 5, 6])).toEqual([-5, -4, 10, 10]);
  });
});
