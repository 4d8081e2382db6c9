import type { MtcnnBackend } from '@mtcnn/core';
import { loadWeightsFromUrl, type MtcnnWeights } from '@mtcnn/models';

/**
 * The backends the app offers, each loaded on first use (dynamic imports: the page only
 * downloads the runtime you pick). Weights and .wasm files are served next to the page (copied
 * from node_modules at build time, see scripts/copy-assets.mjs).
 */
export type BrowserBackendId = 'tfjs-webgl' | 'tfjs-wasm' | 'onnx-wasm';

export const BROWSER_BACKENDS: ReadonlyArray<{ id: BrowserBackendId; label: string }> = [
  { id: 'tfjs-webgl', label: 'tfjs · WebGL' },
  { id: 'tfjs-wasm', label: 'tfjs · WebAssembly' },
  { id: 'onnx-wasm', label: 'ONNX Runtime · WebAssembly' },
];

let weights: Promise<MtcnnWeights> | undefined;

function assetUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

function loadWeights(): Promise<MtcnnWeights> {
  weights ??= loadWeightsFromUrl(assetUrl('weights/')).catch((e: unknown) => {
    weights = undefined;
    throw e;
  });
  return weights;
}

async function tfjs(kind: 'webgl' | 'wasm'): Promise<MtcnnBackend> {
  const [tf, { createTfjsBackend }] = await Promise.all([
    import('@tensorflow/tfjs-core'),
    import('@mtcnn/backend-tfjs'),
  ]);
  if (kind === 'webgl') {
    await import('@tensorflow/tfjs-backend-webgl');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(assetUrl('tfjs-wasm/'));
  }
  if (!(await tf.setBackend(kind))) throw new Error(`tfjs could not start its ${kind} backend in this browser.`);
  await tf.ready();
  return createTfjsBackend({ tf, weights: await loadWeights(), name: `tfjs-${kind}` });
}

async function onnxWasm(): Promise<MtcnnBackend> {
  const [ort, { createOnnxBackend }] = await Promise.all([
    import('onnxruntime-web/wasm'),
    import('@mtcnn/backend-onnx'),
  ]);
  // onnxruntime-web/wasm is the self-contained bundle: Vite emits its .wasm next to it.
  // Threads need a cross-origin isolated page (SharedArrayBuffer); a plain static server is not.
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  return createOnnxBackend({ weights: await loadWeights(), ort, name: 'onnx-wasm' });
}

export function createBrowserBackend(id: BrowserBackendId): Promise<MtcnnBackend> {
  switch (id) {
    case 'tfjs-webgl':
      return tfjs('webgl');
    case 'tfjs-wasm':
      return tfjs('wasm');
    case 'onnx-wasm':
      return onnxWasm();
  }
}
