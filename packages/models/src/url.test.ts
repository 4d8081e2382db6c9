import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEIGHTS_SHA256 } from './manifest.js';
import { defaultWeightsDir } from './node.js';
import { loadWeightsFromUrl, type FetchLike } from './url.js';

/** Serves the installed weights directory under http://test/models/. */
const diskFetch =
  (requested: string[]): FetchLike =>
  async (url) => {
    requested.push(url);
    const file = url.replace(/^http:\/\/test\/models\//, '');
    try {
      const bytes = await readFile(join(defaultWeightsDir(), file));
      return new Response(bytes);
    } catch {
      return new Response('not found', { status: 404, statusText: 'Not Found' });
    }
  };

describe('loadWeightsFromUrl', () => {
  it('fetches manifest and shard relative to the base URL (with or without a trailing slash)', async () => {
    for (const base of ['http://test/models', 'http://test/models/']) {
      const requested: string[] = [];
      const w = await loadWeightsFromUrl(base, diskFetch(requested));
      expect(w.sha256).toBe(WEIGHTS_SHA256);
      expect(requested.sort()).toEqual([
        'http://test/models/mtcnn_model-shard1',
        'http://test/models/mtcnn_model-weights_manifest.json',
      ]);
    }
  });

  it('reports HTTP errors and network failures as WEIGHTS_FETCH', async () => {
    await expect(loadWeightsFromUrl('http://test/elsewhere', diskFetch([]))).rejects.toMatchObject({
      code: 'WEIGHTS_FETCH',
    });
    const failing: FetchLike = () => Promise.reject(new TypeError('network down'));
    await expect(loadWeightsFromUrl('http://test/models', failing)).rejects.toMatchObject({
      code: 'WEIGHTS_FETCH',
      message: expect.stringContaining('network down'),
    });
  });
});
