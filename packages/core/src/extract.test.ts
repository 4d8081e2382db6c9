import { describe, expect, it } from 'vitest';
import { ARCFACE_TEMPLATE, applySimilarity } from './align.js';
import { isMtcnnError } from './errors.js';
import { alignTransform, boxCropTransform, cropFace, extractFaces } from './extract.js';
import { KEYPOINT_NAMES, type Face, type Keypoints, type Point } from './face.js';
import type { RgbImage } from './image.js';

/** Pixel (x, y) = (x, y, 7): each pixel names itself (images up to 256 px). */
function coords(w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x, y, 7], (y * w + x) * 3);
  return { data, width: w, height: h };
}

const at = (d: Uint8Array, w: number, x: number, y: number): number[] =>
  Array.from(d.subarray((y * w + x) * 3, (y * w + x) * 3 + 3));

function face(box: Face['box'], points: readonly Point[] = new Array(5).fill([0, 0])): Face {
  const keypoints = Object.fromEntries(KEYPOINT_NAMES.map((k, i) => [k, points[i]])) as unknown as Keypoints;
  return { box, confidence: 0.99, keypoints };
}

describe('box crops (align: false)', () => {
  it('at one crop pixel per image pixel, copies the box square exactly', () => {
    const img = coords(100, 100);
    // 30 x 40 box at (10, 20): square side 40 centred on x = 25 -> columns 5..44, rows 20..59.
    const c = cropFace(img, face([10, 20, 30, 40]), { size: 40, margin: 0 });
    expect([c.width, c.height, c.channels, c.aligned]).toEqual([40, 40, 3, false]);
    expect(at(c.data, 40, 0, 0)).toEqual([5, 20, 7]);
    expect(at(c.data, 40, 39, 39)).toEqual([44, 59, 7]);
    expect(at(c.data, 40, 17, 3)).toEqual([22, 23, 7]);
  });

  it('grows by margin around the centre and zero-fills outside the image', () => {
    const img = coords(50, 50);
    // Box 20x20 at (-5, 10), margin 1: side 40 centred on (5, 20) -> columns -15..24, rows 0..39.
    const c = cropFace(img, face([-5, 10, 20, 20]), { size: 40, margin: 1 });
    expect(at(c.data, 40, 0, 0)).toEqual([0, 0, 0]); // x = -15: outside
    expect(at(c.data, 40, 14, 5)).toEqual([0, 0, 0]); // x = -1: outside (its right neighbour weighs 0)
    expect(at(c.data, 40, 15, 5)).toEqual([0, 5, 7]); // x = 0
    expect(at(c.data, 40, 39, 39)).toEqual([24, 39, 7]);
  });

  it('reads xyxy boxes when told, and scales: size 20 samples the 40 px square every 2 px, between pixels', () => {
    const img = coords(100, 100);
    const t = boxCropTransform(face([5, 20, 45, 60]), 20, 0, 'xyxy');
    // Crop pixel u covers image [5 + 2u, 7 + 2u): its centre is the point 5.5 + 2u (pixel centres at integers).
    expect(applySimilarity(t, [5.5, 20.5])).toEqual([0, 0]);
    const c = cropFace(img, face([5, 20, 45, 60]), { size: 20, margin: 0, boxFormat: 'xyxy' });
    // Bilinear between columns 5 and 6 (5.5) rounds half up: 6; rows 20.5 -> 21.
    expect(at(c.data, 20, 0, 0)).toEqual([6, 21, 7]);
    expect(at(c.data, 20, 19, 19)).toEqual([44, 59, 7]); // 43.5 -> 44, 58.5 -> 59
  });

  it('defaults to size 112 and margin 0.2', () => {
    const c = cropFace(coords(200, 200), face([50, 50, 100, 100]));
    expect(c.width).toBe(112);
    // side 120 -> scale 112 / 120.
    expect(c.transform.a).toBeCloseTo(112 / 120, 12);
  });
});

describe('aligned crops (align: true)', () => {
  it('puts landmarks lying on a scaled, shifted template onto the template', () => {
    // Landmarks = template * 2 + (30, 10): the crop samples the image at (u, v) -> 2(u, v) + (30, 10).
    const pts = ARCFACE_TEMPLATE.map(([x, y]): Point => [2 * x + 30, 2 * y + 10]);
    const f = face([0, 0, 1, 1], pts);
    const t = alignTransform(f);
    for (const [i, p] of pts.entries()) {
      const q = applySimilarity(t, p);
      expect(q[0]).toBeCloseTo(ARCFACE_TEMPLATE[i][0], 9);
      expect(q[1]).toBeCloseTo(ARCFACE_TEMPLATE[i][1], 9);
    }
    const img = coords(256, 256);
    const c = cropFace(img, f, { align: true });
    expect(c.aligned).toBe(true);
    expect(at(c.data, 112, 0, 0)).toEqual([30, 10, 7]);
    expect(at(c.data, 112, 10, 20)).toEqual([50, 50, 7]);
    expect(at(c.data, 112, 111, 111)).toEqual([252, 232, 7]);
  });

  it('defaults to no margin with align, and takes size and margin', () => {
    const pts = ARCFACE_TEMPLATE.map(([x, y]): Point => [x + 5, y + 5]);
    const one = alignTransform(face([0, 0, 1, 1], pts));
    expect(cropFace(coords(200, 200), face([0, 0, 1, 1], pts), { align: true }).transform).toEqual(one);
    const big = cropFace(coords(200, 200), face([0, 0, 1, 1], pts), { align: true, size: 224, margin: 1 }).transform;
    // Twice the pixels, half the face: the same scale as at 112.
    expect(Math.hypot(big.a, big.b)).toBeCloseTo(1, 9);
  });
});

describe('extractFaces', () => {
  it('crops every face, in order, from raw pixels', async () => {
    const img = coords(100, 100);
    const crops = await extractFaces(
      { data: img.data, width: 100, height: 100 },
      [face([0, 0, 10, 10]), face([50, 50, 10, 10])],
      { size: 10, margin: 0 },
    );
    expect(crops.map((c) => at(c.data, 10, 0, 0))).toEqual([
      [0, 0, 7],
      [50, 50, 7],
    ]);
  });

  it('rejects bad options with INVALID_OPTION before reading the image', async () => {
    const bad: Array<Record<string, unknown>> = [
      { size: 0 },
      { size: 1.5 },
      { margin: -1 },
      { margin: Number.NaN },
      { align: 'yes' },
      { boxFormat: 'ltrb' },
    ];
    for (const o of bad) {
      const e: unknown = await extractFaces('not-read.jpg', [], o).catch((x: unknown) => x);
      expect(isMtcnnError(e, 'INVALID_OPTION'), JSON.stringify(o)).toBe(true);
    }
  });

  it('refuses an empty box', () => {
    expect(() => cropFace(coords(10, 10), face([1, 1, 0, 0]))).toThrow(/empty/);
  });
});
