import type { MtcnnBackend } from '@mtcnn/core';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs';

/** Backends the CLI can run, by the name users pass to `--backend`. */
export const BACKENDS = {
  'tfjs-wasm': () => createNodeTfjsBackend({ backend: 'wasm' }),
  'tfjs-cpu': () => createNodeTfjsBackend({ backend: 'cpu' }),
} satisfies Record<string, () => Promise<MtcnnBackend>>;

export type BackendName = keyof typeof BACKENDS;
export const DEFAULT_BACKEND: BackendName = 'tfjs-wasm';

export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(BACKENDS, name);
}
