import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { maxPoolCeil } from './pool.js';

/** Ceil-mode max pool over a single-channel map, by hand. */
function naive(x: number[], h: number, w: number, size: number, stride: number) {
  const oh = Math.ceil((h - size) / stride) + 1;
  const ow = Math.ceil((w - size) / stride) + 1;
  const out: number[] = [];
  for (let y = 0; y < oh; y++) {
    for (let xx = 0; xx < ow; xx++) {
      let m = -Infinity;
      for (let dy = 0; dy < size; dy++) {
        for (let dx = 0; dx < size; dx++) {
          if (y * stride + dy < h && xx * stride + dx < w) m = Math.max(m, x[(y * stride + dy) * w + xx * stride + dx]);
        }
      }
      out.push(m);
    }
  }
  return { oh, ow, out };
}

describe.each(['cpu', 'wasm'])('maxPoolCeil on tfjs-%s', (kind) => {
  it.each([
    [11, 13, 2, 2], // P-Net on odd sizes
    [10, 10, 2, 2],
    [22, 22, 3, 2], // R-Net 22 -> 11
    [9, 9, 3, 2], // R-Net 9 -> 4
    [46, 46, 3, 2], // O-Net 46 -> 23
    [21, 21, 3, 2], // O-Net 21 -> 10
    [8, 8, 2, 2], // O-Net 8 -> 4
  ])('%ix%i, size %i stride %i: ceil-mode sizes, padding never wins', async (h, w, size, stride) => {
    await tf.setBackend(kind);
    // All negative, so a padded cell read as 0 would show up in the last row/column.
    const x = Array.from({ length: h * w }, (_, i) => -1 - ((i * 7919) % 97));
    const want = naive(x, h, w, size, stride);
    const got = tf.tidy(() => maxPoolCeil(tf, tf.tensor4d(x, [1, h, w, 1]), size, stride));
    expect(got.shape).toEqual([1, want.oh, want.ow, 1]);
    expect(Array.from(await got.data())).toEqual(want.out);
    got.dispose();
  });
});
