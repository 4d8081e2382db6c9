import { MtcnnError } from '@mtcnn/core';
import { wholeNumberOption } from '@mtcnn/core/backend-kit';
import type { MtcnnWeights } from '@mtcnn/models';
import { quietCpuAdvice } from './tf.js';
import { createTfjsBackend, type TfjsBackend, type TfjsBackendOptions } from './backend.js';

export type NodeTfjsBackendKind = 'wasm' | 'cpu';

export interface NodeTfjsBackendOptions {
  /** tfjs backend to register and activate; default `wasm`. */
  backend?: NodeTfjsBackendKind;
  /** Already loaded weights; by default read from `@mtcnn/models`' own copy. */
  weights?: MtcnnWeights;
  /** Directory of the weight files (ignored when `weights` is given). */
  weightsDir?: string;
  maxBatch?: TfjsBackendOptions['maxBatch'];
  /**
   * Threads computing the networks. tfjs's wasm and cpu backends use one thread per JavaScript
   * realm; with `threads` > 1 the backend runs that many copies of tfjs in worker threads and
   * splits every call between them (threads.ts), with exactly the same outputs. Default: the
   * number of cores on the main thread, 1 (in-process) inside a worker thread, where the
   * application is taken to parallelise already (e.g. `mtcnn detect --jobs`).
   */
  threads?: number;
  /**
   * Compute in a worker thread even with `threads` 1 (default false). tfjs has one active backend
   * per JavaScript realm: a second tfjs backend of another kind in the same realm (the `tfjs-cpu`
   * that decides boxes on a pixel edge next to a `tfjs-wasm`, `@mtcnn/backends`) needs a thread of its own.
   */
  ownThread?: boolean;
}

/**
 * Node convenience: imports tfjs-core and the chosen tfjs backend, makes it tfjs's active backend,
 * loads the weights from disk and returns the backend (`tfjs-wasm` / `tfjs-cpu`).
 */
export async function createNodeTfjsBackend(options: NodeTfjsBackendOptions = {}): Promise<TfjsBackend> {
  const kind = options.backend ?? 'wasm';
  if (kind !== 'wasm' && kind !== 'cpu') {
    throw new MtcnnError('INVALID_OPTION', `Unknown tfjs backend "${String(kind)}"; use "wasm" or "cpu".`);
  }
  if (options.threads !== undefined) wholeNumberOption('threads', options.threads, 1);
  const tf = await import('@tensorflow/tfjs-core');
  try {
    // Another copy of the backend package may have registered it already.
    if (!tf.findBackendFactory(kind)) {
      await (kind === 'wasm' ? import('@tensorflow/tfjs-backend-wasm') : import('@tensorflow/tfjs-backend-cpu'));
    }
    if (!(await tf.setBackend(kind))) throw new Error(`tf.setBackend('${kind}') returned false`);
    await tf.ready();
    quietCpuAdvice(tf);
  } catch (cause) {
    throw new MtcnnError(
      'BACKEND_FAILED',
      `Could not start the tfjs ${kind} backend (${String(cause)}). Install ` +
        `@tensorflow/tfjs-core and @tensorflow/tfjs-backend-${kind} 4.22.x.`,
      { cause },
    );
  }
  // tfjs is set up in this thread either way (callers may pass tfjs tensors to detect()).
  const { availableParallelism } = await import('node:os');
  const { isMainThread } = await import('node:worker_threads');
  const threads = options.threads ?? (isMainThread ? availableParallelism() : 1);
  if (threads > 1 || options.ownThread) {
    const { createThreadedTfjsBackend } = await import('./threads.js');
    return createThreadedTfjsBackend({ kind, weights: await weightsOf(options), threads, maxBatch: options.maxBatch });
  }
  return createTfjsBackend({ tf, weights: await weightsOf(options), name: `tfjs-${kind}`, maxBatch: options.maxBatch });
}

async function weightsOf(options: NodeTfjsBackendOptions): Promise<MtcnnWeights> {
  if (options.weights) return options.weights;
  const { loadWeights } = await import('@mtcnn/models/node');
  return loadWeights({ dir: options.weightsDir });
}
