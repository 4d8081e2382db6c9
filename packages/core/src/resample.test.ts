import { describe, expect, it } from 'vitest';
import type { RgbImage } from './image.js';
import { resampleArea, resampleImage, type Window } from './resample.js';

/** Pipeline step 4's normalisation (docs/architecture.md); exact in float64 for the quarter-integer averages here. */
const norm = (v: number): number => (v - 127.5) * 0.0078125;

/** A grey image (each value replicated to R, G, B), rows given top to bottom. */
function grey(rows: number[][]): RgbImage {
  const height = rows.length;
  const width = rows[0].length;
  const data = new Uint8Array(width * height * 3);
  rows.flat().forEach((v, i) => {
    data.fill(v, i * 3, i * 3 + 3);
  });
  return { data, width, height };
}

/** Channel 0 of an HWC output, as rows. */
function channel0(out: Float32Array, width: number, height: number, offset = 0): number[][] {
  return Array.from({ length: height }, (_, y) =>
    Array.from({ length: width }, (_, x) => out[offset + (y * width + x) * 3]),
  );
}

describe('normalisation', () => {
  it('maps 255 -> 0.99609375, 0 -> -0.99609375, 127.5 -> 0', () => {
    expect(resampleImage(grey([[255]]), 1, 1)[0]).toBe(0.99609375);
    expect(resampleImage(grey([[0]]), 1, 1)[0]).toBe(-0.99609375);
    // 127 and 128 average to 127.5.
    expect(resampleImage(grey([[127, 128]]), 1, 1)[0]).toBe(0);
    // (128 - 127.5) / 128 = 1/256.
    expect(resampleImage(grey([[128]]), 1, 1)[0]).toBe(1 / 256);
  });
});

describe('resampleImage (area)', () => {
  it('is the identity (up to normalisation) when sizes match', () => {
    const img = grey([
      [0, 10, 20],
      [30, 40, 250],
    ]);
    expect(channel0(resampleImage(img, 3, 2), 3, 2)).toEqual([
      [norm(0), norm(10), norm(20)],
      [norm(30), norm(40), norm(250)],
    ]);
  });

  it('4x4 -> 2x2 averages each 2x2 block exactly', () => {
    const img = grey([
      [0, 4, 100, 100],
      [8, 12, 100, 104],
      [255, 255, 1, 2],
      [255, 254, 3, 4],
    ]);
    // Blocks: (0+4+8+12)/4 = 6, (100+100+100+104)/4 = 101, (255*3+254)/4 = 254.75, (1+2+3+4)/4 = 2.5.
    expect(channel0(resampleImage(img, 2, 2), 2, 2)).toEqual([
      [norm(6), norm(101)],
      [norm(254.75), norm(2.5)],
    ]);
  });

  it('3 -> 2 uses overlapping windows [floor(i*n/out), ceil((i+1)*n/out))', () => {
    // out 0: [0, ceil(1.5)) = [0, 2); out 1: [floor(1.5), 3) = [1, 3). The middle pixel is in both.
    const img = grey([[10, 20, 40]]);
    expect(channel0(resampleImage(img, 2, 1), 2, 1)).toEqual([[norm(15), norm(30)]]);
    // The same along y.
    const col = grey([[10], [20], [40]]);
    expect(channel0(resampleImage(col, 1, 2), 1, 2)).toEqual([[norm(15)], [norm(30)]]);
  });

  it('3x3 -> 2x2 overlaps in both directions', () => {
    const img = grey([
      [0, 8, 16],
      [24, 32, 40],
      [48, 56, 64],
    ]);
    // Each output averages a 2x2 block sharing the centre pixel.
    expect(channel0(resampleImage(img, 2, 2), 2, 2)).toEqual([
      [norm((0 + 8 + 24 + 32) / 4), norm((8 + 16 + 32 + 40) / 4)],
      [norm((24 + 32 + 48 + 56) / 4), norm((32 + 40 + 56 + 64) / 4)],
    ]);
  });

  it('upsamples 2 -> 3: [a, (a+b)/2, b]', () => {
    // out 0: [0, ceil(2/3)) = [0, 1); out 1: [0, ceil(4/3)) = [0, 2); out 2: [floor(4/3), 2) = [1, 2).
    const img = grey([[100, 201]]);
    expect(channel0(resampleImage(img, 3, 1), 3, 1)).toEqual([[norm(100), norm(150.5), norm(201)]]);
  });

  it('keeps the channels apart (HWC, RGB)', () => {
    // 2x1 RGB image -> 1x1.
    const img: RgbImage = { data: new Uint8Array([0, 100, 255, 10, 50, 255]), width: 2, height: 1 };
    expect(Array.from(resampleImage(img, 1, 1))).toEqual([norm(5), norm(75), norm(255)]);
  });

  it('outputs float32 values', () => {
    // Thirds are not exact: the result must still be a float32 value close to the exact average.
    const img = grey([[1, 2, 4]]);
    const v = resampleImage(img, 1, 1)[0];
    expect(Math.fround(v)).toBe(v);
    expect(v).toBeCloseTo(norm(7 / 3), 6);
  });
});

describe('resampleArea windows', () => {
  const white2x2 = (): RgbImage =>
    grey([
      [200, 200],
      [200, 200],
    ]);

  it('counts pixels of the window outside the image as 0 (zero pad)', () => {
    // Window columns [-2, 2), rows [0, 2) -> 2x1: out 0 = columns [-2, 0) (all outside), out 1 = [0, 2).
    const out = new Float32Array(2 * 1 * 3);
    resampleArea(white2x2(), { x0: -2, y0: 0, x1: 2, y1: 2 }, 2, 1, out);
    expect(channel0(out, 2, 1)).toEqual([[-0.99609375, norm(200)]]);
  });

  it('averages the zeros in when a window straddles the border', () => {
    // Columns [-2, 2) -> 1 pixel: (0 + 0 + 200 + 200) / 4 = 100. Rows [-1, 3) likewise halve it again: 50.
    const out = new Float32Array(3);
    resampleArea(white2x2(), { x0: -2, y0: 0, x1: 2, y1: 2 }, 1, 1, out);
    expect(out[0]).toBe(norm(100));
    resampleArea(white2x2(), { x0: -2, y0: -1, x1: 2, y1: 3 }, 1, 1, out);
    expect(out[0]).toBe(norm(50));
    // Right and bottom borders too.
    resampleArea(white2x2(), { x0: 1, y0: 1, x1: 3, y1: 3 }, 1, 1, out);
    expect(out[0]).toBe(norm(50));
  });

  it('gives black for a window entirely outside the image', () => {
    const out = new Float32Array(4 * 3);
    resampleArea(white2x2(), { x0: 5, y0: 5, x1: 9, y1: 9 }, 2, 2, out);
    expect(Array.from(out)).toEqual(new Array(12).fill(-0.99609375));
  });

  it('a window fully inside the image equals a direct computation', () => {
    const W = 10;
    const H = 9;
    const data = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = (x * 37 + y * 91 + c * 53) % 256;
    const img: RgbImage = { data, width: W, height: H };
    const px = (x: number, y: number, c: number): number => data[(y * W + x) * 3 + c];

    // 6x6 window -> 3x3: disjoint 2x2 blocks, exact.
    const win: Window = { x0: 2, y0: 3, x1: 8, y1: 9 };
    const out = new Float32Array(3 * 3 * 3);
    resampleArea(img, win, 3, 3, out);
    for (let oy = 0; oy < 3; oy++) {
      for (let ox = 0; ox < 3; ox++) {
        for (let c = 0; c < 3; c++) {
          const x = 2 + 2 * ox;
          const y = 3 + 2 * oy;
          const avg = (px(x, y, c) + px(x + 1, y, c) + px(x, y + 1, c) + px(x + 1, y + 1, c)) / 4;
          expect(out[(oy * 3 + ox) * 3 + c]).toBe(norm(avg));
        }
      }
    }

    // 7x5 window -> 3x4 (uneven, overlapping windows): the formula of pipeline step 4 computed naively in float64.
    const win2: Window = { x0: 1, y0: 2, x1: 8, y1: 7 };
    const outW = 3;
    const outH = 4;
    const out2 = new Float32Array(outW * outH * 3);
    resampleArea(img, win2, outW, outH, out2);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const xa = Math.floor((ox * 7) / outW);
        const xb = Math.ceil(((ox + 1) * 7) / outW);
        const ya = Math.floor((oy * 5) / outH);
        const yb = Math.ceil(((oy + 1) * 5) / outH);
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) s += px(1 + x, 2 + y, c);
          expect(out2[(oy * outW + ox) * 3 + c]).toBeCloseTo(norm(s / ((xb - xa) * (yb - ya))), 6);
        }
      }
    }
  });

  it('a window covering the whole image equals resampleImage, and writes at the given offset only', () => {
    const img = grey([
      [0, 4, 100, 100],
      [8, 12, 100, 104],
      [255, 255, 1, 2],
    ]);
    const out = new Float32Array(5 + 2 * 2 * 3 + 5).fill(42);
    resampleArea(img, { x0: 0, y0: 0, x1: 4, y1: 3 }, 2, 2, out, 5);
    expect(Array.from(out.subarray(5, 17))).toEqual(Array.from(resampleImage(img, 2, 2)));
    expect(Array.from(out.subarray(0, 5))).toEqual([42, 42, 42, 42, 42]);
    expect(Array.from(out.subarray(17))).toEqual([42, 42, 42, 42, 42]);
  });
});

describe('chw layout (for NCHW backends)', () => {
  /** A random 8-bit image. */
  const image = (w: number, h: number): RgbImage => {
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    return { data, width: w, height: h };
  };
  const toChw = (hwc: Float32Array, w: number, h: number): Float32Array => {
    const out = new Float32Array(hwc.length);
    for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) out[c * w * h + p] = hwc[p * 3 + c];
    return out;
  };

  it('gives the hwc values as three planes, from the summed-area table and from direct sums', async () => {
    const { areaSampler, resampleAreaIntegral } = await import('./resample.js');
    const { integralImage } = await import('./integral.js');
    const img = image(37, 23);
    const ii = integralImage(img);
    for (const win of [
      { x0: 0, y0: 0, x1: 37, y1: 23 },
      { x0: -5, y0: 3, x1: 20, y1: 30 },
      { x0: 4, y0: -2, x1: 9, y1: 5 },
    ]) {
      for (const [w, h] of [
        [12, 12],
        [24, 24],
        [7, 13],
        [50, 31],
      ]) {
        const hwc = new Float32Array(w * h * 3 + 5);
        resampleArea(img, win, w, h, hwc, 5);
        const expected = toChw(hwc.subarray(5), w, h);
        const direct = new Float32Array(w * h * 3 + 5);
        resampleArea(img, win, w, h, direct, 5, 'chw');
        expect(direct.subarray(5)).toEqual(expected);
        const integral = new Float32Array(w * h * 3 + 5);
        resampleAreaIntegral(ii, win, w, h, integral, 5, 'chw');
        expect(integral.subarray(5)).toEqual(expected);
        const sampled = new Float32Array(w * h * 3);
        areaSampler(img).resample(win, w, h, sampled, 0, 'chw');
        expect(sampled).toEqual(expected);
      }
    }
    expect(resampleImage(img, 11, 7, undefined, 'chw')).toEqual(toChw(resampleImage(img, 11, 7), 11, 7));
  });
});

describe('areaLut', () => {
  it(
    'holds, for every integer sum, exactly the value the ' + 'divisions give; none for windows over 64 pixels',
    async () => {
      const { areaLut } = await import('./resample.js');
      for (const [kh, kw] of [
        [1, 1],
        [1, 2],
        [2, 3],
        [3, 3],
        [8, 8],
        [5, 12],
      ] as const) {
        const t = areaLut(kh, kw)!;
        expect(t).toHaveLength(255 * kh * kw + 1);
        for (let s = 0; s < t.length; s++) {
          const v = Math.fround(Math.fround(s / kh) / kw);
          expect(t[s]).toBe(Math.fround(Math.fround(v - 127.5) * 0.0078125));
        }
        expect(areaLut(kh, kw)).toBe(t); // built once
      }
      expect(areaLut(9, 8)).toBeUndefined(); // 72 pixels: the divisions are done per value
    },
  );
});
