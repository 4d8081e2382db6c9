/**
 * Which ONNX Runtime JavaScript package runs the graphs. All of them (onnxruntime-node,
 * onnxruntime-web, onnxruntime-react-native) expose the one `onnxruntime-common` API; we use only
 * `InferenceSession`, `Tensor` and `env`. The runtimes are peer dependencies: pass the module you
 * imported, or let `loadWebOrt` (here) or `loadOrt` (`@mtcnn/backend-onnx/node`) import one.
 * This module never names onnxruntime-node: bundlers (Vite's dependency pre-bundling included)
 * would try to resolve it for the browser.
 */
import { MtcnnError } from '@mtcnn/core';
import type * as OrtCommon from 'onnxruntime-common';

/** An ONNX Runtime JS module, e.g. `await import('onnxruntime-web/wasm')`. */
export type Ort = Pick<typeof OrtCommon, 'InferenceSession' | 'Tensor' | 'env'>;
export type OrtSessionOptions = OrtCommon.InferenceSession.SessionOptions;
export type OrtSession = OrtCommon.InferenceSession;

/** `node` = onnxruntime-node (native MLAS kernels); `web` = onnxruntime-web's WebAssembly build. */
export type OrtRuntimeKind = 'node' | 'web';

/** True in Node (and Node-compatible runtimes), where onnxruntime-node can load. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

/** What to install when a runtime cannot be imported. */
export const ORT_INSTALL_HINT: Record<OrtRuntimeKind, string> = {
  node:
    'Install onnxruntime-node@^1.30 (its install script only fetches optional CUDA ' +
    'files: with npm use ONNXRUNTIME_NODE_INSTALL=skip; pnpm 10 skips it anyway).',
  web: 'Install onnxruntime-web@^1.30.',
};

/**
 * A runtime module from `load` (a dynamic import written by the caller, so that bundlers see its
 * literal name); a failure becomes `BACKEND_FAILED` saying what to install.
 */
export async function importOrt(kind: OrtRuntimeKind, load: () => Promise<unknown>): Promise<Ort> {
  try {
    return (await load()) as Ort;
  } catch (cause) {
    throw new MtcnnError(
      'BACKEND_FAILED',
      `Could not load ONNX Runtime (${kind}): ${String(cause)}. ${ORT_INSTALL_HINT[kind]}`,
      { cause },
    );
  }
}

/**
 * Imports `onnxruntime-web/wasm`: the WebAssembly-only build, without the large WebGPU/JSEP bundle
 * (pass your own `onnxruntime-web/webgpu` module to `createOnnxBackend` for WebGPU). Bundlers
 * emit its `.wasm` files with the app.
 */
export function loadWebOrt(): Promise<Ort> {
  return importOrt('web', () => import('onnxruntime-web/wasm'));
}
