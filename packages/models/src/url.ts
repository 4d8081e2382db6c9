import { MtcnnError } from '@mtcnn/core';
import { MANIFEST_FILE, SHARD_FILE } from './manifest.js';
import { parseWeights, type MtcnnWeights, type WeightsManifest } from './weights.js';

export type FetchLike = (
  url: string,
) => Promise<Pick<Response, 'ok' | 'status' | 'statusText' | 'json' | 'arrayBuffer'>>;

/**
 * The URLs of the weight files inside this package. Written as literal `new URL('…', import.meta.url)`
 * so that bundlers (Vite, webpack 5, Rollup, esbuild with a plugin) emit the files with the app and
 * rewrite the URLs: a browser app needs no copying.
 */
export function bundledWeightsUrls(): { manifest: string; shard: string } {
  return {
    manifest: new URL('../weights/mtcnn_model-weights_manifest.json', import.meta.url).href,
    shard: new URL('../weights/mtcnn_model-shard1.bin', import.meta.url).href,
  };
}

function joinUrl(baseUrl: string, file: string): string {
  // Plain concatenation so relative bases ("/models") work too, unlike `new URL(file, base)`.
  return baseUrl.endsWith('/') ? baseUrl + file : `${baseUrl}/${file}`;
}

async function get<T>(
  fetchImpl: FetchLike,
  url: string,
  hint: string,
  read: (r: Awaited<ReturnType<FetchLike>>) => Promise<T>,
): Promise<T> {
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetchImpl(url);
  } catch (cause) {
    throw new MtcnnError('WEIGHTS_FETCH', `Could not fetch ${url}: ${String(cause)}. ${hint}`, { cause });
  }
  if (!response.ok) {
    throw new MtcnnError(
      'WEIGHTS_FETCH',
      `Fetching ${url} failed: HTTP ${response.status} ${response.statusText}. ${hint}`,
    );
  }
  try {
    return await read(response);
  } catch (cause) {
    throw new MtcnnError('WEIGHTS_FETCH', `Could not read ${url}: ${String(cause)}. ${hint}`, { cause });
  }
}

/**
 * Fetches the manifest and the shard, then verifies them. Without `baseUrl`, the files shipped in
 * this package (`bundledWeightsUrls()`, emitted by your bundler); with it,
 * `<baseUrl>/mtcnn_model-weights_manifest.json` and `<baseUrl>/mtcnn_model-shard1.bin`.
 * In Node, use `loadWeights()` from `@mtcnn/models/node`.
 */
export async function loadWeightsFromUrl(
  baseUrl?: string | URL,
  fetchImpl: FetchLike = globalThis.fetch,
): Promise<MtcnnWeights> {
  if (typeof fetchImpl !== 'function') {
    throw new MtcnnError(
      'WEIGHTS_FETCH',
      'No fetch implementation: pass one as the second argument of loadWeightsFromUrl.',
    );
  }
  let urls: { manifest: string; shard: string };
  let hint: string;
  if (baseUrl === undefined) {
    urls = bundledWeightsUrls();
    if (urls.shard.startsWith('file:')) {
      throw new MtcnnError(
        'WEIGHTS_FETCH',
        'loadWeightsFromUrl() without a base URL fetches the files bundled with ' +
          "the app; in Node, use loadWeights() from '@mtcnn/models/node'.",
      );
    }
    hint =
      'Your bundler should have emitted them beside the app (Vite, webpack 5 and Rollup ' +
      'handle new URL(..., import.meta.url)); otherwise serve them and pass their base URL.';
  } else {
    const base = String(baseUrl);
    urls = { manifest: joinUrl(base, MANIFEST_FILE), shard: joinUrl(base, SHARD_FILE) };
    hint = `Serve the weights/ directory of @mtcnn/models (${MANIFEST_FILE}, ${SHARD_FILE}) at that base URL.`;
  }
  const [manifest, shard] = await Promise.all([
    get(fetchImpl, urls.manifest, hint, (r) => r.json() as Promise<WeightsManifest>),
    get(fetchImpl, urls.shard, hint, (r) => r.arrayBuffer()),
  ]);
  return parseWeights(manifest, shard);
}
