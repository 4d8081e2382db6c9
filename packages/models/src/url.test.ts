import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WEIGHTS_SHA256 } from './manifest.js';
import { defaultWeightsDir } from './node.js';
import { bundledWeightsUrls, loadWeightsFromUrl, type FetchLike } from './url.js';

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
        'http://test/models/mtcnn_model-shard1.bin',
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

describe('bundledWeightsUrls', () => {
  it("points at the package's own weight files (what a bundler emits)", async () => {
    const urls = bundledWeightsUrls();
    expect(fileURLToPath(urls.manifest)).toBe(join(defaultWeightsDir(), 'mtcnn_model-weights_manifest.json'));
    expect(fileURLToPath(urls.shard)).toBe(join(defaultWeightsDir(), 'mtcnn_model-shard1.bin'));
    const requested: string[] = [];
    const fileFetch: FetchLike = async (url) => {
      requested.push(url);
      return new Response(await readFile(fileURLToPath(url)));
    };
    // Node's fetch cannot read file: URLs, so without a base URL Node is pointed at loadWeights.
    await expect(loadWeightsFromUrl(undefined, fileFetch)).rejects.toMatchObject({
      code: 'WEIGHTS_FETCH',
      message: expect.stringContaining('@mtcnn/models/node'),
    });
    expect(requested).toEqual([]);
  });
});
