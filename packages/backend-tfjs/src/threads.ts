/**
 * The tfjs backend on several threads (Node): tfjs's wasm and cpu backends compute on one thread
 * per JavaScript realm, so this backend runs `threads` copies of tfjs in worker threads
 * (`createThreadedBackend` of @mtcnn/core/backend-kit/node) and splits each call between them:
 * R-Net / O-Net batches into contiguous parts, a large P-Net level into horizontal strips. Each
 * output row / crop gets exactly the arithmetic it gets in one piece (tested bit for bit), so the
 * faces are those of one thread. Measured on 2 cores: about 1.8x the throughput of the in-process
 * backend per detection.
 */
import { builtModule, createThreadedBackend } from '@mtcnn/core/backend-kit/node';
import { weightsFromTransfer, weightsTransfer, type MtcnnWeights, type WeightsTransfer } from '@mtcnn/models';
import { quietCpuAdvice } from './tf.js';
import { createTfjsBackend, type TfjsBackend } from './backend.js';

/** What each thread gets to create its backend (`createThreadBackend`). */
export interface TfjsThreadOptions {
  kind: 'wasm' | 'cpu';
  weights: WeightsTransfer;
  maxBatch?: { rnet?: number; onet?: number };
}

/** Levels smaller than this run whole on one thread: splitting would cost more than it saves. */
const MIN_SPLIT_PIXELS = 16_384;
/**
 * P-Net runs on at most about this many pixels: tfjs-backend-wasm's memory only grows, to the
 * largest run it has held (measured per thread: 100-120 MB after a 1152x648 level whole, 53 MB
 * with pieces of <= 150k pixels, and ~90 MB less RSS at 1920x1080 with 2 threads).
 */
const MAX_STRIP_PIXELS = 150_000;
/**
 * Each thread's young generation, MB. V8 grows it (8 -> 16 -> 32 MB semi-spaces) in steps and never
 * gives it back; in 3 isolates that was most of a 6,000-detection soak's growth. 12 MB keeps the
 * 4 MB semi-spaces (measured: tfjs-cpu flat, tfjs-wasm 42 MB lower at 6,000, no speed cost seen).
 */
const YOUNG_GENERATION_MB = 12;
/** Batches smaller than this per thread run whole on one thread. */
const MIN_SPLIT_CROPS = 4;

/** In each thread: tfjs with the chosen backend, and the in-process tfjs backend on it. */
export async function createThreadBackend(o: TfjsThreadOptions): Promise<TfjsBackend> {
  const tf = await import('@tensorflow/tfjs-core');
  if (!tf.findBackendFactory(o.kind)) {
    await (o.kind === 'wasm' ? import('@tensorflow/tfjs-backend-wasm') : import('@tensorflow/tfjs-backend-cpu'));
  }
  if (!(await tf.setBackend(o.kind))) throw new Error(`tf.setBackend('${o.kind}') returned false`);
  await tf.ready();
  quietCpuAdvice(tf);
  return createTfjsBackend({
    tf,
    weights: weightsFromTransfer(o.weights),
    name: `tfjs-${o.kind}`,
    maxBatch: o.maxBatch,
  });
}

export async function createThreadedTfjsBackend(options: {
  kind: 'wasm' | 'cpu';
  weights: MtcnnWeights;
  threads: number;
  maxBatch?: { rnet?: number; onet?: number };
}): Promise<TfjsBackend & { readonly threads: number }> {
  const { kind, weights, threads } = options;
  const backend = await createThreadedBackend({
    module: builtModule(import.meta.url, 'threads.js'),
    factory: 'createThreadBackend',
    options: { kind, weights: weightsTransfer(weights), maxBatch: options.maxBatch } satisfies TfjsThreadOptions,
    threads,
    name: `tfjs-${kind}`,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    split: {
      pnet: (height, width, n) =>
        height * width < MIN_SPLIT_PIXELS ? 1 : Math.max(n, Math.ceil((height * width) / MAX_STRIP_PIXELS)),
      minCrops: MIN_SPLIT_CROPS,
    },
  });
  // The threads' backends are tfjs backends: `tfBackend` came with their other properties.
  return backend as typeof backend & TfjsBackend;
}
