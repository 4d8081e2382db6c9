import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDetector, type DetectorOptions, type MtcnnBackend } from '@mtcnn/core';
import type { VizInput } from './model.js';

/**
 * Real traces for the tests that need real decisions (a missed face, an image with no face): the
 * dev images from `../shared` beside the repository (never committed), detected in Node with ONNX
 * Runtime's WebAssembly build, the runtime the app uses in the browser. Tests skip, loudly, without
 * `../shared`.
 */
export const DEV_DIR = fileURLToPath(new URL('../../../../shared/images/dev/', import.meta.url));
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
      const [{ createNodeOnnxBackend }, { loadImage }] = await Promise.all([
        import('@mtcnn/backend-onnx'),
        import('@mtcnn/core/node'),
      ]);
      backend ??= createNodeOnnxBackend({ runtime: 'wasm' });
      // A detector per call shares the backend; never disposed here (that would dispose the backend).
      const detector = createDetector(await backend, { ...options, decoder: loadImage });
      const report = await detector.detectWithStats(`${DEV_DIR}${file}`, { trace: true });
      return {
        trace: report.trace!,
        image: { href: 'data:image/png;base64,', name: file },
        run: { backend: 'onnx-wasm' },
      };
    })();
    traces.set(key, t);
  }
  return t;
}
