import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, MtcnnError, type Detector, type Face, type RgbImage } from '@mtcnn/core';
import { BACKENDS } from './backends.js';
import { abortAfterFirstLevel, tileRgb } from './fixtures.js';

// Concurrent calls on one detector give exactly the sequential results; an abort between pyramid
// levels rejects with ABORTED, frees what it held, and leaves the detector usable.
describe.each(BACKENDS)('concurrency and cancellation on $name', ({ name, create }) => {
  let detector: Detector;
  let images: RgbImage[];
  let sequential: Face[][];
  beforeAll(async () => {
    detector = createDetector(await create());
    images = await Promise.all([100, 120, 140, 160].map((s) => tileRgb(s)));
    sequential = [];
    for (const img of images) sequential.push(await detector.detect(img));
  });
  afterAll(() => detector?.dispose());

  it('32 concurrent detect() calls over 4 images equal the sequential results', async () => {
    const calls = Array.from({ length: 32 }, (_, i) => detector.detect(images[i % 4]));
    const results = await Promise.all(calls);
    results.forEach((faces, i) => {
      expect(faces).toEqual(sequential[i % 4]);
    });
    expect(sequential.every((f) => f.length === 1)).toBe(true); // one astronaut per tile
  });

  it('an abort after the first pyramid level rejects with ABORTED; the next call still works', async () => {
    const controller = new AbortController();
    const inner = await create();
    const spy = abortAfterFirstLevel(inner, controller);
    const d = createDetector(spy.backend);
    try {
      const tensors = name.startsWith('tfjs') ? tf.memory().numTensors : 0;
      const err = await d.detect(images[3], { signal: controller.signal }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MtcnnError);
      expect((err as MtcnnError).code).toBe('ABORTED');
      expect(spy.levels()).toBe(1); // stopped before the second level
      if (name.startsWith('tfjs')) expect(tf.memory().numTensors).toBe(tensors);
      expect(await d.detect(images[3])).toEqual(sequential[3]);
      // An already-aborted signal rejects before any network runs.
      spy.reset();
      const again = await d.detect(images[0], { signal: AbortSignal.abort() }).catch((e: unknown) => e);
      expect((again as MtcnnError).code).toBe('ABORTED');
      expect(spy.levels()).toBe(0);
    } finally {
      d.dispose();
    }
  });
});
