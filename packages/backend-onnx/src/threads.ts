/**
 * The ONNX backend with its sessions in worker threads (Node). onnxruntime-node runs a session
 * synchronously on the calling thread, so in-process the detector's own work (resampling, crops,
 * NMS) and the networks take turns. Here each worker thread holds its own sessions
 * (`createThreadedBackend` of @mtcnn/core/backend-kit/node); the detector keeps `workers + 1`
 * calls in flight and prepares the next level or crop batch while earlier ones run. Each call runs
 * on one thread through the same graphs and kernels as in-process (a large level in strips, which
 * the runtime computes the same row for row), so the faces are the same.
 */
import { builtModule, createThreadedBackend } from '@mtcnn/core/backend-kit/node';
import { weightsFromTransfer, weightsTransfer, type MtcnnWeights, type WeightsTransfer } from '@mtcnn/models';
import type { OnnxBackend } from './backend.js';
import type { NodeOnnxBackendOptions } from './node-backend.js';

/** What each thread gets to create its backend (`createThreadBackend`). */
export interface OnnxThreadOptions {
  weights: WeightsTransfer;
  /** Options of the in-process backend each thread creates (onnxruntime-node). */
  options: Omit<NodeOnnxBackendOptions, 'weights' | 'weightsDir' | 'runtime' | 'workers'>;
}

/** P-Net levels of at least this many pixels are split between the threads. */
const SPLIT_PIXELS = 262_144;

/** In each thread: the in-process onnxruntime-node backend. */
export async function createThreadBackend(o: OnnxThreadOptions): Promise<OnnxBackend> {
  const { createNodeOnnxBackend } = await import('./node-backend.js');
  return createNodeOnnxBackend({ ...o.options, weights: weightsFromTransfer(o.weights), workers: 0 });
}

export async function createThreadedOnnxBackend(options: {
  weights: MtcnnWeights;
  workers: number;
  thread: OnnxThreadOptions['options'];
}): Promise<OnnxBackend & { readonly workers: number; readonly threads: number }> {
  const backend = await createThreadedBackend({
    module: builtModule(import.meta.url, 'threads.js'),
    factory: 'createThreadBackend',
    options: { weights: weightsTransfer(options.weights), options: options.thread } satisfies OnnxThreadOptions,
    threads: options.workers,
    name: 'onnx',
    // onnxruntime-node 1.30 overflows a worker's default native stack creating a session when the
    // process command line is long (found with `mtcnn detect` on hundreds of files).
    resourceLimits: { stackSizeMb: 256 },
    // A large level (the first one or two of a big image) would keep one thread busy while the
    // others wait for the next stage: it goes in strips, one per thread. R-Net / O-Net batches
    // are not split: the detector already sends them in about 2 x inFlight chunks.
    split: { pnet: (height, width, n) => (height * width >= SPLIT_PIXELS ? n : 1) },
  });
  // The threads' backends are ONNX backends: `inputLayout` and `pixelLayout` came with their name.
  return Object.assign(backend as typeof backend & OnnxBackend, { workers: options.workers });
}
