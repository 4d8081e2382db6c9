import { cropFace, type Face } from '@mtcnn/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { cropsToTensor } from './crops.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** A 20x20 image whose every pixel is (x, y, 100). */
const image = (() => {
  const data = new Uint8Array(20 * 20 * 3);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) data.set([x, y, 100], (y * 20 + x) * 3);
  return { data, width: 20, height: 20 };
})();

const face = (x: number, y: number): Face => ({
  box: [x, y, 4, 4],
  confidence: 1,
  keypoints: { left_eye: [0, 0], right_eye: [0, 0], nose: [0, 0], mouth_left: [0, 0], mouth_right: [0, 0] },
});

describe('cropsToTensor', () => {
  it('stacks the crops NHWC and applies (v - mean) / std', async () => {
    const crops = [
      cropFace(image, face(2, 3), { size: 4, margin: 0 }),
      cropFace(image, face(10, 11), { size: 4, margin: 0 }),
    ];
    const t = cropsToTensor(tf, crops, { mean: 100, std: 2 });
    expect(t.shape).toEqual([2, 4, 4, 3]);
    expect(t.dtype).toBe('float32');
    const v = await t.array();
    t.dispose();
    // Crop 0 pixel (1, 2) is image (3, 5): ((3 - 100) / 2, (5 - 100) / 2, 0).
    expect(v[0][2][1]).toEqual([-48.5, -47.5, 0]);
    // Crop 1 pixel (0, 0) is image (10, 11).
    expect(v[1][0][0]).toEqual([-45, -44.5, 0]);
  });

  it('refuses crops of different sizes and a zero std', () => {
    const a = cropFace(image, face(0, 0), { size: 4 });
    const b = cropFace(image, face(0, 0), { size: 5 });
    expect(() => cropsToTensor(tf, [a, b])).toThrow(/same size/);
    expect(() => cropsToTensor(tf, [a], { std: 0 })).toThrow(/non-zero/);
  });

  it('gives an empty [0, 0, 0, 3] tensor for no crops', () => {
    const t = cropsToTensor(tf, []);
    expect(t.shape).toEqual([0, 0, 0, 3]);
    t.dispose();
  });
});
