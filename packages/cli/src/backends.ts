import type { MtcnnBackend } from '@mtcnn/core';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs';
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx';

/** Backends the CLI can run, by the name users pass to `--backend`. */
export const BACKENDS = {
  'tfjs-wasm': () => createNodeTfjsBackend({ backend: 'wasm' }),
  'tfjs-cpu': () => createNodeTfjsBackend({ backend: 'cpu' }),
  onnx: () => createNodeOnnxBackend({ runtime: 'node' }),
  'onnx-wasm': () => createNodeOnnxBackend({ runtime: 'wasm' }),
} satisfies Record<string, () => Promise<MtcnnBackend>>;

export type BackendName = keyof typeof BACKENDS;
/** The fastest correct backend, measured (README "Backends"): native kernels on all cores. */
export const DEFAULT_BACKEND: BackendName = 'onnx';

export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(BACKENDS, name);
}
