// The README's "Browser with Vite" example on tfjs's WebAssembly backend.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createDetector } from '@mtcnn/core';
import { createTfjsBackend } from '@mtcnn/backend-tfjs';
import { tfjsWasmPaths } from '@mtcnn/backend-tfjs/wasm-paths';
import { loadWeightsFromUrl } from '@mtcnn/models';
import { photo, report } from './report.js';

report(async () => {
  setWasmPaths(tfjsWasmPaths()); // the .wasm files, emitted by the bundler
  await tf.setBackend('wasm');
  const backend = createTfjsBackend({ tf, weights: await loadWeightsFromUrl() });
  const detector = createDetector(backend);
  try {
    return { faces: await detector.detect(await photo()), backend: `tfjs-${tf.getBackend()}` };
  } finally {
    detector.dispose();
  }
});
