import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createDetector } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { SAMPLE, tileRgb } from './fixtures.js';

// Every tfjs tensor a detection creates is freed: the count is flat over 20 detections (checked after
// each: a leak shows on the second; 20 go through the trace path and the reused buffers several times).

describe.each([
  { kind: 'wasm' as const, image: () => loadImage(SAMPLE) },
  // The pure-JS cpu backend is ~20x slower: one 120x120 astronaut keeps the test short.
  { kind: 'cpu' as const, image: () => tileRgb(120) },
])('tfjs-$kind memory', ({ kind, image }) => {
  it('numTensors is the same before and after 20 detections, and dispose frees the weights', async () => {
    const img = await image();
    await import(kind === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu');
    await tf.setBackend(kind);
    const before = tf.memory().numTensors;
    // In-process (threads: 1), so that this thread's tfjs holds every tensor.
    const detector = createDetector(await createNodeTfjsBackend({ backend: kind, threads: 1 }));
    const withWeights = tf.memory().numTensors;
    expect(withWeights).toBeGreaterThan(before);
    const first = await detector.detect(img);
    expect(first.length).toBeGreaterThan(0);
    for (let i = 1; i < 20; i++) {
      await detector.detect(img, { trace: i % 5 === 0 });
      expect(tf.memory().numTensors).toBe(withWeights);
    }
    detector.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
