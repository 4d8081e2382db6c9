import { MtcnnError } from '@mtcnn/core';
import { wholeNumberOption } from '@mtcnn/core/backend-kit';
import type { MtcnnWeights } from '@mtcnn/models';
import { createOnnxBackend, type OnnxBackend, type OnnxBackendOptions } from './backend.js';
import { loadOrt } from './node-runtime.js';
import type { Ort } from './runtime.js';

/** `node` = onnxruntime-node (native CPU kernels); `wasm` = onnxruntime-web's WebAssembly build, in Node. */
export type NodeOnnxRuntime = 'node' | 'wasm';

export interface NodeOnnxBackendOptions {
  /** Default `node`. */
  runtime?: NodeOnnxRuntime;
  /** Already loaded weights; by default read from `@mtcnn/models`' own copy. */
  weights?: MtcnnWeights;
  /** Directory of the weight files (ignored when `weights` is given). */
  weightsDir?: string;
  /**
   * Threads per network run. onnxruntime-node: `intraOpNumThreads`, default all cores (1 inside
   * a worker thread, where the application is taken to parallelise already).
   * onnxruntime-web: `env.wasm.numThreads` (global, fixed by the first session), default 1: its
   * worker threads made runs slower in Node.
   */
  threads?: number;
  /**
   * onnxruntime-node only: worker threads holding the sessions (threads.ts), each running with
   * `threads` threads; 0 = run in this thread. With workers, the detector's resampling and
   * cropping overlap the network runs, and the calling thread's event loop stays free while a
   * network runs (in-process, onnxruntime-node blocks it for the length of each run). Default 0:
   * each worker costs ~75 MB (its own runtime and sessions), and on 2 cores the gain is ~10% at
   * 1920x1080, none at 640x480.
   */
  workers?: number;
  inputLayout?: OnnxBackendOptions['inputLayout'];
  maxBatch?: OnnxBackendOptions['maxBatch'];
  maxPNetPixels?: OnnxBackendOptions['maxPNetPixels'];
  prelu?: OnnxBackendOptions['prelu'];
  staticPNetShapes?: OnnxBackendOptions['staticPNetShapes'];
}

/**
 * Threads per run in each worker thread, by default: one, so that the workers' runs go side by
 * side and the detector's own work fills the gaps (measured on 2 cores at 1920x1080: 2 workers x
 * 1 thread ~10% faster than in-process, at ~150 MB more RSS; see docs/benchmarks.md).
 */
const DEFAULT_WORKER_THREADS = 1;

async function weightsOf(options: NodeOnnxBackendOptions): Promise<MtcnnWeights> {
  if (options.weights) return options.weights;
  const { loadWeights } = await import('@mtcnn/models/node');
  return loadWeights({ dir: options.weightsDir });
}

/** Points onnxruntime-web at the .wasm files of the installed package (Node cannot fetch file URLs). */
async function configureWasm(ort: Ort, threads: number): Promise<void> {
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  if (ort.env.wasm.wasmPaths === undefined) {
    // `onnxruntime-web/wasm` resolves (require condition) to dist/ort.wasm.min.js, beside the .wasm files.
    ort.env.wasm.wasmPaths = `${dirname(createRequire(import.meta.url).resolve('onnxruntime-web/wasm'))}/`;
  }
  ort.env.wasm.numThreads = threads;
}

/**
 * Node convenience: imports the runtime, loads the weights from disk and returns the backend
 * (`onnx` on onnxruntime-node, `onnx-wasm` on onnxruntime-web). Imports each runtime only when
 * asked for, so an app that runs `onnx-wasm` needs no onnxruntime-node installed.
 */
export async function createNodeOnnxBackend(options: NodeOnnxBackendOptions = {}): Promise<OnnxBackend> {
  const runtime = options.runtime ?? 'node';
  if (runtime !== 'node' && runtime !== 'wasm') {
    throw new MtcnnError('INVALID_OPTION', `Unknown ONNX runtime "${String(runtime)}"; use "node" or "wasm".`);
  }
  if (options.threads !== undefined) wholeNumberOption('threads', options.threads, 1);
  if (options.workers !== undefined) wholeNumberOption('workers', options.workers, 0);
  if (runtime === 'node') {
    const workers = options.workers ?? 0;
    if (workers > 0) {
      const { createThreadedOnnxBackend } = await import('./threads.js');
      const { weights: _w, weightsDir: _d, runtime: _r, workers: _k, ...thread } = options;
      return createThreadedOnnxBackend({
        weights: await weightsOf(options),
        workers,
        thread: { ...thread, threads: options.threads ?? DEFAULT_WORKER_THREADS },
      });
    }
  }
  const ort = await loadOrt(runtime === 'node' ? 'node' : 'web');
  let sessionOptions: OnnxBackendOptions['sessionOptions'];
  if (runtime === 'node') {
    const { availableParallelism } = await import('node:os');
    const { isMainThread } = await import('node:worker_threads');
    // One network runs at a time: all cores inside an operator, none across operators. In a worker
    // thread the application parallelises already (e.g. `mtcnn detect --jobs`): one thread each.
    // Threads wait without spinning: measured 1.8-2x faster while other processes share the cores
    // (a spinning thread burns the time slice its partner needs), as on this project's machines.
    sessionOptions = {
      intraOpNumThreads: options.threads ?? (isMainThread ? availableParallelism() : 1),
      interOpNumThreads: 1,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    };
  } else {
    await configureWasm(ort, options.threads ?? 1);
  }
  return createOnnxBackend({
    ort,
    weights: await weightsOf(options),
    name: runtime === 'node' ? 'onnx' : 'onnx-wasm',
    sessionOptions,
    inputLayout: options.inputLayout,
    maxBatch: options.maxBatch,
    maxPNetPixels: options.maxPNetPixels,
    prelu: options.prelu,
    staticPNetShapes: options.staticPNetShapes,
  });
}
