import { MtcnnError, type MtcnnBackend } from '@mtcnn/core';
import { loadWeightsFromUrl } from '@mtcnn/models';

/** The backends the standard worker creates. Each loads its runtime on first use (dynamic imports). */
export type StandardBackendId = 'tfjs-webgl' | 'tfjs-wasm' | 'onnx-wasm';

export const STANDARD_BACKENDS: readonly StandardBackendId[] = ['tfjs-webgl', 'tfjs-wasm', 'onnx-wasm'];

export interface StandardBackendInit {
  /**
   * Only to serve the files yourself: absolute URL of the directory that serves `weights/` (the two
   * files of `@mtcnn/models`' weights/) and, for `tfjs-wasm`, `tfjs-wasm/` (tfjs's `.wasm` files). A
   * worker cannot see the page's URL, so the page passes it, e.g. `new URL('./', document.baseURI).href`.
   * Default: the files your bundler emitted from the packages (`loadWeightsFromUrl()`, `tfjsWasmPaths()`).
   */
  assets?: string;
}

/**
 * A browser backend, in a worker or on the page: tfjs on WebGL (an `OffscreenCanvas` in a
 * worker) or WebAssembly, or ONNX Runtime Web on WebAssembly.
 */
export async function createStandardBackend(id: string, init: StandardBackendInit = {}): Promise<MtcnnBackend> {
  if (!STANDARD_BACKENDS.includes(id as StandardBackendId)) {
    throw new MtcnnError(
      'INVALID_OPTION',
      `Unknown backend "${id}"; the standard worker has ${STANDARD_BACKENDS.join(', ')}.`,
    );
  }
  const assets = init?.assets;
  if (assets !== undefined && typeof assets !== 'string')
    throw new MtcnnError(
      'INVALID_OPTION',
      'init.assets, when given, must be the URL under which weights/ (and tfjs-wasm/) are served.',
    );
  const url = (path: string): string => new URL(path, assets).href;
  const weights = await (assets === undefined ? loadWeightsFromUrl() : loadWeightsFromUrl(url('weights/')));
  if (id === 'onnx-wasm') {
    const [ort, { createOnnxBackend }] = await Promise.all([
      import('onnxruntime-web/wasm'),
      import('@mtcnn/backend-onnx'),
    ]);
    // Threads need a cross-origin isolated page (SharedArrayBuffer).
    ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
    return createOnnxBackend({ weights, ort, name: 'onnx-wasm' });
  }
  const kind = id === 'tfjs-webgl' ? 'webgl' : 'wasm';
  const [tf, { createTfjsBackend }] = await Promise.all([
    import('@tensorflow/tfjs-core'),
    import('@mtcnn/backend-tfjs'),
  ]);
  if (kind === 'webgl') {
    await import('@tensorflow/tfjs-backend-webgl');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (assets === undefined) {
      const { tfjsWasmPaths } = await import('@mtcnn/backend-tfjs/wasm-paths');
      wasm.setWasmPaths(tfjsWasmPaths());
    } else {
      wasm.setWasmPaths(url('tfjs-wasm/'));
    }
  }
  if (!(await tf.setBackend(kind)))
    throw new MtcnnError('BACKEND_FAILED', `tfjs could not start its ${kind} backend here.`);
  await tf.ready();
  return createTfjsBackend({ tf, weights, name: id });
}
