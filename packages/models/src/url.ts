import { WeightsError } from './errors.js';
import { MANIFEST_FILE, SHARD_FILE, WEIGHTS_PACKAGE, WEIGHTS_PACKAGE_VERSION } from './manifest.js';
import { parseWeights, type MtcnnWeights, type WeightsManifest } from './weights.js';

export type FetchLike = (
  url: string,
) => Promise<Pick<Response, 'ok' | 'status' | 'statusText' | 'json' | 'arrayBuffer'>>;

function joinUrl(baseUrl: string, file: string): string {
  // Plain concatenation so relative bases ("/models") work too, unlike `new URL(file, base)`.
  return baseUrl.endsWith('/') ? baseUrl + file : `${baseUrl}/${file}`;
}

async function get<T>(
  fetchImpl: FetchLike,
  url: string,
  read: (r: Awaited<ReturnType<FetchLike>>) => Promise<T>,
): Promise<T> {
  const hint = `Serve the files of ${WEIGHTS_PACKAGE}@${WEIGHTS_PACKAGE_VERSION}'s weights/ directory (${MANIFEST_FILE}, ${SHARD_FILE}) at that base URL.`;
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetchImpl(url);
  } catch (cause) {
    throw new WeightsError('WEIGHTS_FETCH', `Could not fetch ${url}: ${String(cause)}. ${hint}`, { cause });
  }
  if (!response.ok) {
    throw new WeightsError(
      'WEIGHTS_FETCH',
      `Fetching ${url} failed: HTTP ${response.status} ${response.statusText}. ${hint}`,
    );
  }
  try {
    return await read(response);
  } catch (cause) {
    throw new WeightsError('WEIGHTS_FETCH', `Could not read ${url}: ${String(cause)}. ${hint}`, { cause });
  }
}

/** Fetches `<baseUrl>/mtcnn_model-weights_manifest.json` and `<baseUrl>/mtcnn_model-shard1`, then verifies them. */
export async function loadWeightsFromUrl(
  baseUrl: string,
  fetchImpl: FetchLike = globalThis.fetch,
): Promise<MtcnnWeights> {
  if (typeof fetchImpl !== 'function') {
    throw new WeightsError(
      'WEIGHTS_FETCH',
      'No fetch implementation: pass one as the second argument of loadWeightsFromUrl.',
    );
  }
  const [manifest, shard] = await Promise.all([
    get(fetchImpl, joinUrl(baseUrl, MANIFEST_FILE), (r) => r.json() as Promise<WeightsManifest>),
    get(fetchImpl, joinUrl(baseUrl, SHARD_FILE), (r) => r.arrayBuffer()),
  ]);
  return parseWeights(manifest, shard);
}
