/**
 * `@mtcnn/backends/node`: the backends a Node program offers by name (the CLI's `--backend`, the
 * server's and the queue's options). The browser registry is `@mtcnn/backends/browser`.
 *
 * @packageDocumentation
 */
import { withExactEdges, type CreateDetectorOptions, type Detector, type MtcnnBackend } from '@mtcnn/core';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';
import type { MtcnnWeights } from '@mtcnn/models';
import { defineRegistry, type BackendEntry } from './registry.js';

export type { BackendEntry, BackendRegistry, OptionsArg } from './registry.js';

export interface NodeBackendOptions {
  /**
   * The cores this backend may use (a batch of N workers on C cores gives each C / N); default:
   * the runtime's own default for where it runs (all cores on the main thread, 1 in a worker
   * thread). `onnx-wasm` always uses 1: onnxruntime-web's threads made runs slower in Node
   * (docs/backends.md).
   */
  threads?: number;
  /** Already loaded weights (shared by several backends); default: read from `@mtcnn/models`. */
  weights?: MtcnnWeights;
}

/** The backends a Node program offers, by name. */
export type BackendName = 'tfjs-wasm' | 'tfjs-cpu' | 'onnx' | 'onnx-wasm';

/**
 * `fast`, with the boxes that land on a pixel edge under the `reference` preset decided by tfjs-cpu
 * (core's edges.ts: it matches the reference's arithmetic there, the other runtimes do not on every
 * face). tfjs-cpu starts in a worker thread of its own the first time such a box is met, never
 * under the default preset.
 */
async function exactEdges(fast: Promise<MtcnnBackend>, weights: MtcnnWeights | undefined): Promise<MtcnnBackend> {
  return withExactEdges(await fast, () =>
    createNodeTfjsBackend({ backend: 'cpu', threads: 1, ownThread: true, weights }),
  );
}

const ENTRIES = {
  'tfjs-wasm': {
    description: 'tfjs on WebAssembly (SIMD), one tfjs per thread',
    create: ({ threads, weights }) => exactEdges(createNodeTfjsBackend({ backend: 'wasm', threads, weights }), weights),
  },
  'tfjs-cpu': {
    description: 'tfjs in plain JavaScript, one tfjs per thread',
    create: ({ threads, weights }) => createNodeTfjsBackend({ backend: 'cpu', threads, weights }),
  },
  onnx: {
    description: 'ONNX Runtime, native CPU kernels (onnxruntime-node): the fastest',
    create: ({ threads, weights }) => exactEdges(createNodeOnnxBackend({ runtime: 'node', threads, weights }), weights),
  },
  'onnx-wasm': {
    description: 'ONNX Runtime Web on WebAssembly (onnxruntime-web), one thread',
    create: ({ weights }) => exactEdges(createNodeOnnxBackend({ runtime: 'wasm', weights }), weights),
  },
} satisfies Record<BackendName, BackendEntry<NodeBackendOptions>>;

// The fastest correct backend, measured (README "Backends"): native kernels on all cores.
const registry = defineRegistry<BackendName, NodeBackendOptions>('Node', ENTRIES, 'onnx');

// The names are documented on `BackendRegistry`.
export const { BACKENDS, BACKEND_NAMES, DEFAULT_BACKEND, isBackendName, createBackend } = registry;

/**
 * A detector on a new backend `name`; the backend is disposed if the options are refused.
 * `backend`: the backend's options, or (as before) just its `threads`.
 */
export function openDetector(
  name: BackendName,
  options: CreateDetectorOptions = {},
  backend: NodeBackendOptions | number = {},
): Promise<Detector> {
  return registry.openDetector(name, options, typeof backend === 'number' ? { threads: backend } : backend);
}
