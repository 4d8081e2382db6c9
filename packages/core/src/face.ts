import { toXywh, type Box } from './box.js';
import type { BoxFormat } from './options.js';

/** A point `[x, y]` in image pixels. */
export type Point = [number, number];

/**
 * The five landmarks, named from the image's point of view: "left" is the smaller x in the image
 * (for a frontal face, the person's right eye is `left_eye`). Same names as ipazc/mtcnn.
 */
export interface Keypoints {
  left_eye: Point;
  right_eye: Point;
  nose: Point;
  mouth_left: Point;
  mouth_right: Point;
}

/** Landmark names in the networks' output order. */
export const KEYPOINT_NAMES = ['left_eye', 'right_eye', 'nose', 'mouth_left', 'mouth_right'] as const;

/** One detected face. Coordinates are unrounded floats in image pixels and may leave the image. */
export interface Face {
  /** `[x, y, width, height]` by default, or `[x1, y1, x2, y2]` with `boxFormat: 'xyxy'`. */
  box: [number, number, number, number];
  /** O-Net face probability, 0..1. */
  confidence: number;
  keypoints: Keypoints;
}

export function makeFace(box: Box, confidence: number, points: readonly Point[], format: BoxFormat): Face {
  const keypoints = {} as Keypoints;
  KEYPOINT_NAMES.forEach((name, k) => {
    keypoints[name] = [points[k][0], points[k][1]];
  });
  return { box: format === 'xyxy' ? [box[0], box[1], box[2], box[3]] : toXywh(box), confidence, keypoints };
}
