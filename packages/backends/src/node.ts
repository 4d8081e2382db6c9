import { createDetector, type Detector, type DetectorOptions, type MtcnnBackend } from '@mtcnn/core';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';

/**
 * Backends the CLI can run, by the name users pass to `--backend`. `threads`: the cores this
 * backend may use (a batch of N workers on C cores gives each C / N); default: the runtime's own
 * default for where it runs (all cores on the main thread, 1 in a worker thread).
 */
export const BACKENDS = {
  'tfjs-wasm': (threads?: number) => createNodeTfjsBackend({ backend: 'wasm', threads }),
  'tfjs-cpu': (threads?: number) => createNodeTfjsBackend({ backend: 'cpu', threads }),
  onnx: (threads?: number) => createNodeOnnxBackend({ runtime: 'node', threads }),
  // onnxruntime-web's threads made runs slower in Node (docs/backends.md): always 1.
  'onnx-wasm': () => createNodeOnnxBackend({ runtime: 'wasm' }),
} satisfies Record<string, (threads?: number) => Promise<MtcnnBackend>>;

export type BackendName = keyof typeof BACKENDS;
/** The fastest correct backend, measured (README "Backends"): native kernels on all cores. */
export const DEFAULT_BACKEND: BackendName = 'onnx';

export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(BACKENDS, name);
}

/** A detector on a new backend `name`; the backend is disposed if the options are refused. */
export async function openDetector(name: BackendName, options: DetectorOptions, threads?: number): Promise<Detector> {
  const backend = await BACKENDS[name](threads);
  try {
    return createDetector(backend, options);
  } catch (e) {
    backend.dispose();
    throw e;
  }
}
