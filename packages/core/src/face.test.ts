import { describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES, makeFace, type Point } from './face.js';

describe('makeFace', () => {
  const points: Point[] = [
    [3, 3],
    [9, 3],
    [6, 6],
    [3, 9],
    [9, 9],
  ];

  it('names the five landmarks in network order (ipazc/mtcnn names)', () => {
    expect(KEYPOINT_NAMES).toEqual(['left_eye', 'right_eye', 'nose', 'mouth_left', 'mouth_right']);
    expect(makeFace([1, 1, 12, 12], 0.99, points, 'xywh').keypoints).toEqual({
      left_eye: [3, 3],
      right_eye: [9, 3],
      nose: [6, 6],
      mouth_left: [3, 9],
      mouth_right: [9, 9],
    });
  });

  it('gives [x, y, width, height] for xywh and [x1, y1, x2, y2] for xyxy, unrounded and unclipped', () => {
    expect(makeFace([-1.5, 2.25, 12, 20.75], 0.5, points, 'xywh').box).toEqual([-1.5, 2.25, 13.5, 18.5]);
    expect(makeFace([-1.5, 2.25, 12, 20.75], 0.5, points, 'xyxy').box).toEqual([-1.5, 2.25, 12, 20.75]);
  });

  it('does not alias the input box or points', () => {
    const box: [number, number, number, number] = [1, 2, 3, 4];
    const pts = points.map((p) => [...p] as Point);
    const f = makeFace(box, 0.9, pts, 'xyxy');
    box[0] = 100;
    pts[0][0] = 100;
    expect(f.box[0]).toBe(1);
    expect(f.keypoints.left_eye[0]).toBe(3);
    expect(f.confidence).toBe(0.9);
  });
});
