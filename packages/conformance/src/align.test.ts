import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARCFACE_TEMPLATE,
  applySimilarity,
  createDetector,
  extractFaces,
  KEYPOINT_NAMES,
  type Detector,
  type Face,
} from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { DEV_DIR, sharedAvailable, warnSharedMissing } from './shared.js';

if (!sharedAvailable) warnSharedMissing('aligned crops of the dev images');

/**
 * Aligned crops of real faces. The transform itself is checked exactly on synthetic landmarks in
 * core's align.test.ts; here: real landmarks, real pixels, and the detector as an independent judge.
 */
describe.skipIf(!sharedAvailable)('aligned crops of the dev images', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = createDetector(await createNodeTfjsBackend({ backend: 'wasm' }));
  });
  afterAll(() => detector?.dispose());

  it('puts the eyes of a frontal face (shea_whigham.jpg) on the template eye points within 1 px', async () => {
    const image = await loadImage(`${DEV_DIR}shea_whigham.jpg`);
    const faces = await detector.detect(image);
    expect(faces).toHaveLength(1);
    const [crop] = await extractFaces(image, faces, { align: true });
    expect([crop.width, crop.height]).toEqual([112, 112]);
    const left = applySimilarity(crop.transform, faces[0].keypoints.left_eye);
    const right = applySimilarity(crop.transform, faces[0].keypoints.right_eye);
    expect(Math.hypot(left[0] - ARCFACE_TEMPLATE[0][0], left[1] - ARCFACE_TEMPLATE[0][1])).toBeLessThan(1);
    expect(Math.hypot(right[0] - ARCFACE_TEMPLATE[1][0], right[1] - ARCFACE_TEMPLATE[1][1])).toBeLessThan(1);
  });

  // The crop's pixels must hold each landmark where the transform says. Detecting again on the
  // 112x112 crops finds the landmarks with MTCNN's own noise (about 1 px), but a convention slip
  // (a half-pixel shift, a swapped axis) would show as a bias common to every face.
  it('re-detecting the aligned crops finds the landmarks where the transform put them (no bias)', async () => {
    const offsets: Array<[number, number]> = [];
    for (const name of ['shea_whigham.jpg', 'ivan.jpg', 'bbt4.jpg', 'bbt5.jpg', 'multiface.jpg']) {
      const image = await loadImage(`${DEV_DIR}${name}`);
      const faces = (await detector.detect(image)).filter((f) => f.box[2] >= 40);
      const crops = await extractFaces(image, faces, { align: true });
      for (const [i, crop] of crops.entries()) {
        const again = await detector.detect({ data: crop.data, width: crop.width, height: crop.height });
        // The aligned face is the one centred in the crop.
        const g: Face | undefined = again.find(
          (f) => Math.abs(f.box[0] + f.box[2] / 2 - 56) < 20 && Math.abs(f.box[1] + f.box[3] / 2 - 56) < 30,
        );
        expect(g, `${name} face ${i} found again in its crop`).toBeDefined();
        for (const k of KEYPOINT_NAMES) {
          const [ex, ey] = applySimilarity(crop.transform, faces[i].keypoints[k]);
          offsets.push([g!.keypoints[k][0] - ex, g!.keypoints[k][1] - ey]);
        }
      }
    }
    expect(offsets.length).toBeGreaterThanOrEqual(5 * 15);
    const mean = [0, 1].map((a) => offsets.reduce((s, o) => s + o[a], 0) / offsets.length);
    const dist = offsets.map(([x, y]) => Math.hypot(x, y)).sort((p, q) => p - q);
    const median = dist[dist.length >> 1];
    console.log(
      `aligned crops: ${offsets.length / 5} faces, landmark offset mean ` +
        `(${mean[0].toFixed(2)}, ${mean[1].toFixed(2)}) px, median ` +
        `distance ${median.toFixed(2)} px, max ${dist.at(-1)!.toFixed(2)} px`,
    );
    expect(Math.abs(mean[0])).toBeLessThan(0.5);
    expect(Math.abs(mean[1])).toBeLessThan(0.5);
    expect(median).toBeLessThan(1.5);
  });
});
