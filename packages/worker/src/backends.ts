/**
 * The standard worker's backends: the browser registry of `@mtcnn/backends/browser`, under the
 * names this package has always exported.
 */
import type { MtcnnBackend } from '@mtcnn/core';
import { BACKEND_NAMES, createBackend, type BackendName, type BrowserBackendOptions } from '@mtcnn/backends/browser';

/** The backends the standard worker creates: `BackendName` of `@mtcnn/backends/browser`. */
export type StandardBackendId = BackendName;

export const STANDARD_BACKENDS: readonly StandardBackendId[] = BACKEND_NAMES;

/** Where the worker finds the weights and tfjs's `.wasm` files (`assets`; default: the files the bundler emitted). */
export type StandardBackendInit = BrowserBackendOptions;

/**
 * A browser backend, in a worker or on the page: tfjs on WebGL (an `OffscreenCanvas` in a
 * worker) or WebAssembly, or ONNX Runtime Web on WebAssembly. An unknown `id` rejects with
 * `INVALID_OPTION` naming the known ones.
 */
export function createStandardBackend(id: string, init: StandardBackendInit = {}): Promise<MtcnnBackend> {
  return createBackend(id as BackendName, init);
}
