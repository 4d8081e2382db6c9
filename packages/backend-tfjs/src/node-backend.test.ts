import { loadWeights } from '@mtcnn/models/node';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createNodeTfjsBackend } from './node-backend.js';
import { maxAbsDiff, naivePNet, randomInput } from './naive.test-util.js';

describe('createNodeTfjsBackend', () => {
  it.each(['wasm', 'cpu'] as const)('starts tfjs-%s with the weights from disk', async (kind) => {
    const backend = await createNodeTfjsBackend({ backend: kind, threads: 1 });
    try {
      expect(backend.name).toBe(`tfjs-${kind}`);
      // In-process (threads: 1): the same tfjs-core instance as the one the test imports.
      expect(tf.getBackend()).toBe(kind);
      const level = randomInput(9, 14 * 15 * 3);
      const got = await backend.runPNet(level, 14, 15);
      const want = naivePNet(await loadWeights(), level, 14, 15);
      expect(maxAbsDiff(got.logit, want.logit)).toBeLessThan(1e-4);
    } finally {
      backend.dispose();
    }
  });

  it('defaults to wasm and rejects unknown backends', async () => {
    const backend = await createNodeTfjsBackend();
    expect(backend.name).toBe('tfjs-wasm');
    backend.dispose();
    await expect(createNodeTfjsBackend({ backend: 'webgl' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});
