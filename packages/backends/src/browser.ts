/**
 * `@mtcnn/backends/browser`: the backends a browser page or Web Worker offers by name (the
 * visualizer's menu, `@mtcnn/worker`'s standard worker). Each loads its runtime on first use
 * (dynamic imports: a page downloads only the runtime it picks). Nothing here imports Node.
 *
 * @packageDocumentation
 */
import { MtcnnError } from '@mtcnn/core';
import { loadWeightsFromUrl, type MtcnnWeights } from '@mtcnn/models';
import { defineRegistry, type BackendEntry } from './registry.js';

export type { BackendEntry, BackendRegistry, OptionsArg } from './registry.js';

export interface BrowserBackendOptions {
  /**
   * Only to serve the files yourself: absolute URL of the directory that serves `weights/` (the
   * files of `@mtcnn/models`' weights/) and, for `tfjs-wasm`, `tfjs-wasm/` (tfjs's `.wasm` files). A
   * worker cannot see the page's URL, so the page passes it, e.g. `new URL('./', document.baseURI).href`.
   * Default: the files the bundler emitted from the packages (`loadWeightsFromUrl()` of
   * `@mtcnn/models`, `tfjsWasmPaths()` of `@mtcnn/backend-tfjs/wasm-paths`): nothing to copy.
   */
  assets?: string;
  /** Already loaded weights; default: fetched from `<assets>weights/`, or the bundled files (once per page and URL). */
  weights?: MtcnnWeights;
}

/**
 * Weights by URL ('' = the bundled files): switching backends on a page fetches them once. A failed fetch is not kept.
 */
const weightsByUrl = new Map<string, Promise<MtcnnWeights>>();

function weightsFor(url: string): Promise<MtcnnWeights> {
  const cached = weightsByUrl.get(url);
  if (cached) return cached;
  const weights = url === '' ? loadWeightsFromUrl() : loadWeightsFromUrl(url);
  weightsByUrl.set(url, weights);
  weights.catch(() => weightsByUrl.delete(url));
  return weights;
}

/** `path` under `options.assets`, or undefined for the bundled files. */
function assetUrl(options: BrowserBackendOptions, path: string): string | undefined {
  if (options.assets === undefined) return undefined;
  if (typeof options.assets !== 'string') {
    throw new MtcnnError(
      'INVALID_OPTION',
      'options.assets, when given, must be the URL under which weights/ (and tfjs-wasm/) are served.',
    );
  }
  return new URL(path, options.assets).href;
}

function weightsOf(options: BrowserBackendOptions): Promise<MtcnnWeights> {
  return options.weights ? Promise.resolve(options.weights) : weightsFor(assetUrl(options, 'weights/') ?? '');
}

async function tfjs(kind: 'webgl' | 'wasm', options: BrowserBackendOptions = {}) {
  const weights = weightsOf(options);
  const [tf, { createTfjsBackend }] = await Promise.all([
    import('@tensorflow/tfjs-core'),
    import('@mtcnn/backend-tfjs'),
  ]);
  if (kind === 'webgl') {
    await import('@tensorflow/tfjs-backend-webgl');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const served = assetUrl(options, 'tfjs-wasm/');
    if (served === undefined) {
      const { tfjsWasmPaths } = await import('@mtcnn/backend-tfjs/wasm-paths');
      wasm.setWasmPaths(tfjsWasmPaths());
    } else {
      wasm.setWasmPaths(served);
    }
  }
  if (!(await tf.setBackend(kind)))
    throw new MtcnnError('BACKEND_FAILED', `tfjs could not start its ${kind} backend here.`);
  await tf.ready();
  return createTfjsBackend({ tf, weights: await weights, name: `tfjs-${kind}` });
}

/** The backends a browser offers, by name. */
export type BackendName = 'tfjs-webgl' | 'tfjs-wasm' | 'onnx-wasm';

const ENTRIES = {
  // WebGL: an OffscreenCanvas in a worker.
  'tfjs-webgl': { description: 'tfjs · WebGL', create: (options) => tfjs('webgl', options) },
  'tfjs-wasm': { description: 'tfjs · WebAssembly', create: (options) => tfjs('wasm', options) },
  'onnx-wasm': {
    description: 'ONNX Runtime · WebAssembly',
    async create(options = {}) {
      const weights = weightsOf(options);
      const [ort, { createOnnxBackend }] = await Promise.all([
        import('onnxruntime-web/wasm'),
        import('@mtcnn/backend-onnx'),
      ]);
      // onnxruntime-web/wasm is the self-contained bundle: bundlers emit its .wasm next to it.
      // Threads need a cross-origin isolated page (SharedArrayBuffer); a plain static server is not.
      ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
      return createOnnxBackend({ weights: await weights, ort, name: 'onnx-wasm' });
    },
  },
} satisfies Record<BackendName, BackendEntry<BrowserBackendOptions>>;

// WebGL first: the fastest where a GPU is present.
const registry = defineRegistry<BackendName, BrowserBackendOptions>('browser', ENTRIES, 'tfjs-webgl');

// The names are documented on `BackendRegistry`.
export const { BACKENDS, BACKEND_NAMES, DEFAULT_BACKEND, isBackendName, createBackend, openDetector } = registry;
