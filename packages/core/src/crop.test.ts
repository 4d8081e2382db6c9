import { describe, expect, it } from 'vitest';
import type { Box } from './box.js';
import { cropBatch, cropWindow } from './crop.js';
import type { RgbImage } from './image.js';

const BLACK = -0.99609375; // (0 - 127.5) * 0.0078125
const WHITE = 0.99609375; // (255 - 127.5) * 0.0078125

function textured(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 29 + 7) % 256;
  return { data, width, height };
}

describe('cropWindow', () => {
  it('stretch vs zero-pad at a border: box [-5.5, 10.2, 30.7, 46.4] in 40x40', () => {
    const box: Box = [-5.5, 10.2, 30.7, 46.4];
    // trunc: -5, 10, 30, 46. Stretch: cols [max(-5, 1) - 1, min(30, 40)) = [0, 30),
    // rows [max(10, 1) - 1, min(46, 40)) = [9, 40).
    expect(cropWindow(box, 40, 40, 'stretch')).toEqual({ x0: 0, y0: 9, x1: 30, y1: 40 });
    // Zero-pad: cols [-5 - 1, 30) = [-6, 30), rows [10 - 1, 46) = [9, 46).
    expect(cropWindow(box, 40, 40, 'zero-pad')).toEqual({ x0: -6, y0: 9, x1: 30, y1: 46 });
  });

  it('truncates toward zero (not floor) and uses the image width and height for the clamp', () => {
    // trunc(-0.5) = 0 -> stretch x0 = max(0, 1) - 1 = 0; trunc(12.9) = 12 but clamped to W = 10; rows to H = 20.
    expect(cropWindow([-1.9, 2.9, 12.9, 25.1], 10, 20, 'stretch')).toEqual({ x0: 0, y0: 1, x1: 10, y1: 20 });
    // Zero-pad: trunc(-1.9) - 1 = -2, trunc(2.9) - 1 = 1, then 12, 25.
    expect(cropWindow([-1.9, 2.9, 12.9, 25.1], 10, 20, 'zero-pad')).toEqual({ x0: -2, y0: 1, x1: 12, y1: 25 });
  });

  it('gives identical windows for a box inside the image with x1, y1 >= 1', () => {
    for (const box of [
      [1, 1, 40, 40],
      [3.9, 1.0, 20.5, 39.99],
      [10.2, 5.5, 30.7, 36.4],
    ] as Box[]) {
      const s = cropWindow(box, 40, 40, 'stretch');
      expect(cropWindow(box, 40, 40, 'zero-pad')).toEqual(s);
    }
    // [3.9, 1.0, 20.5, 39.99] -> [trunc - 1, trunc): cols [2, 20), rows [0, 39).
    expect(cropWindow([3.9, 1.0, 20.5, 39.99], 40, 40, 'stretch')).toEqual({ x0: 2, y0: 0, x1: 20, y1: 39 });
  });

  it('differs for a box inside the image but with x1 < 1 (the 1-based convention reaches column -1)', () => {
    // Pipeline step 8's formulas: stretch max(trunc(0.5), 1) - 1 = 0, zero-pad trunc(0.5) - 1 = -1.
    expect(cropWindow([0.5, 0.5, 10, 10], 40, 40, 'stretch')).toEqual({ x0: 0, y0: 0, x1: 10, y1: 10 });
    expect(cropWindow([0.5, 0.5, 10, 10], 40, 40, 'zero-pad')).toEqual({ x0: -1, y0: -1, x1: 10, y1: 10 });
  });
});

describe('cropBatch', () => {
  it('zero-pad: the outside part of a box half outside the image is black; stretch: no black', () => {
    // 8x8 white image; box [-7, 1, 8, 8]: zero-pad window cols [-8, 8), rows [0, 8); stretch cols [0, 8), rows [0, 8).
    const image: RgbImage = { data: new Uint8Array(8 * 8 * 3).fill(255), width: 8, height: 8 };
    const box: Box = [-7, 1, 8, 8];
    const pad = cropBatch(image, [box], 24, 'zero-pad');
    const str = cropBatch(image, [box], 24, 'stretch');
    expect(pad.windows).toEqual([{ x0: -8, y0: 0, x1: 8, y1: 8 }]);
    expect(str.windows).toEqual([{ x0: 0, y0: 0, x1: 8, y1: 8 }]);
    expect(pad.data).toHaveLength(24 * 24 * 3);
    // 16 window columns -> 24: output column i reads window columns [floor(16i/24), ceil(16(i+1)/24)).
    // i = 11 reads window column 7 (image column -1); i = 12 reads window column 8 (image column 0).
    for (let y = 0; y < 24; y++) {
      for (let x = 0; x < 24; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * 24 + x) * 3 + c;
          expect(pad.data[i]).toBe(x < 12 ? BLACK : WHITE);
          expect(str.data[i]).toBe(WHITE);
        }
      }
    }
  });

  it('grey-pad: the same window as zero-pad, the outside part grey (exactly 0 once normalised)', () => {
    const image: RgbImage = { data: new Uint8Array(8 * 8 * 3).fill(255), width: 8, height: 8 };
    const grey = cropBatch(image, [[-7, 1, 8, 8]], 24, 'grey-pad');
    expect(grey.windows).toEqual([{ x0: -8, y0: 0, x1: 8, y1: 8 }]);
    for (let y = 0; y < 24; y++)
      for (let x = 0; x < 24; x++) expect(grey.data[(y * 24 + x) * 3]).toBe(x < 12 ? 0 : WHITE);
  });

  it('gives identical crops in both modes for a box inside the image', () => {
    const image = textured(50, 40);
    const boxes: Box[] = [
      [1.5, 2.5, 30.2, 31.7],
      [10, 5, 49, 40],
    ];
    for (const size of [24, 48]) {
      const a = cropBatch(image, boxes, size, 'zero-pad');
      const b = cropBatch(image, boxes, size, 'stretch');
      expect(a.windows).toEqual(b.windows);
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
    }
  });

  it('lays crops out one after the other, size x size x 3 each, in box order', () => {
    // 4x4 image, left half 0, right half 255, cropped to 2x2: box [3, 1, 4, 4] reads cols [2, 4) (white),
    // box [1, 1, 2, 4] reads cols [0, 2) (black); both rows [0, 4).
    const data = new Uint8Array(4 * 4 * 3);
    for (let y = 0; y < 4; y++) for (let x = 2; x < 4; x++) data.fill(255, (y * 4 + x) * 3, (y * 4 + x) * 3 + 3);
    const image: RgbImage = { data, width: 4, height: 4 };
    const r = cropBatch(
      image,
      [
        [3, 1, 4, 4],
        [1, 1, 2, 4],
      ],
      2,
      'zero-pad',
    );
    expect(r.windows).toEqual([
      { x0: 2, y0: 0, x1: 4, y1: 4 },
      { x0: 0, y0: 0, x1: 2, y1: 4 },
    ]);
    expect(Array.from(r.data)).toEqual([...new Array(12).fill(WHITE), ...new Array(12).fill(BLACK)]);
  });

  it('returns an empty batch for no boxes', () => {
    const r = cropBatch(textured(4, 4), [], 24, 'zero-pad');
    expect(r.data).toHaveLength(0);
    expect(r.windows).toEqual([]);
  });
});
