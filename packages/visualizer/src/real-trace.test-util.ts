import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetector, type DetectorOptions, type MtcnnBackend, type StageTrace } from '@mtcnn/core';
import type { VizInput } from './model.js';

/**
 * Real traces for the tests that need real decisions (a missed face, an image with no face): the
 * dev images from `../shared` beside the repository (never committed), detected in Node with ONNX
 * Runtime's WebAssembly build, the runtime the app uses in the browser. Tests skip, loudly, without
 * `../shared`.
 */
// A path, not a URL: under jsdom the global URL is jsdom's, which node:url does not take.
const HERE = dirname(fileURLToPath(import.meta.url));
export const DEV_DIR = `${join(HERE, '..', '..', '..', '..', 'shared', 'images', 'dev')}/`;
export const sharedAvailable = existsSync(`${DEV_DIR}multiface.jpg`);

export function warnSharedMissing(what: string): void {
  if (sharedAvailable) return;
  const line = '!'.repeat(100);
  console.warn(`${line}\nSKIPPED (${what}): ${DEV_DIR} is missing; put ../shared beside the repository.\n${line}`);
}

let backend: Promise<MtcnnBackend> | undefined;
const traces = new Map<string, Promise<VizInput>>();

/** The trace of a dev image (e.g. `multiface.jpg`) with these options, computed once per test file. */
export function realInput(file: string, options: DetectorOptions = {}): Promise<VizInput> {
  const key = `${file} ${JSON.stringify(options)}`;
  let t = traces.get(key);
  if (!t) {
    t = (async () => {
      const asInput = (trace: StageTrace): VizInput => ({
        trace,
        image: { href: 'data:image/png;base64,', name: file },
        run: { backend: 'onnx-wasm' },
      });
      // Under jsdom, ONNX Runtime refuses the typed arrays (another realm's): detect in a Node process.
      if (typeof window !== 'undefined') {
        const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'dev-trace.mjs');
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [script, `${DEV_DIR}${file}`, JSON.stringify(options)],
          {
            maxBuffer: 1 << 28,
          },
        );
        return asInput(JSON.parse(stdout) as StageTrace);
      }
      const [{ createNodeOnnxBackend }, { loadImage }] = await Promise.all([
        import('@mtcnn/backend-onnx/node'),
        import('@mtcnn/core/node'),
      ]);
      backend ??= createNodeOnnxBackend({ runtime: 'wasm' });
      // A detector per call shares the backend; never disposed here (that would dispose the backend).
      const detector = createDetector(await backend, { ...options, decoder: loadImage });
      const report = await detector.detectWithStats(`${DEV_DIR}${file}`, { trace: true });
      return asInput(report.trace!);
    })();
    traces.set(key, t);
  }
  return t;
}
