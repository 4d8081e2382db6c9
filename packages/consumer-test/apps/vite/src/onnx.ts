// The README's "Browser with Vite" example on ONNX Runtime Web (WebAssembly).
import { createDetector } from '@mtcnn/core';
import { createOnnxBackend } from '@mtcnn/backend-onnx';
import { loadWeightsFromUrl } from '@mtcnn/models';
import * as ort from 'onnxruntime-web/wasm';
import { photo, report } from './report.js';

report(async () => {
  const backend = await createOnnxBackend({ ort, weights: await loadWeightsFromUrl() });
  const detector = createDetector(backend);
  try {
    return { faces: await detector.detect(await photo()), backend: backend.name };
  } finally {
    detector.dispose();
  }
});
