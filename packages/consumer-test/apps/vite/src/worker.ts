// The README's "off the main thread" example: the standard worker on tfjs-wasm, no assets given
// (the weights and tfjs's .wasm files are the ones the bundler emitted).
import { createWorkerDetector } from '@mtcnn/worker';
import { photo, report } from './report.js';

report(async () => {
  const worker = new Worker(new URL('./mtcnn.worker.ts', import.meta.url), { type: 'module' });
  const detector = await createWorkerDetector(worker, { backend: 'tfjs-wasm' });
  try {
    return { faces: await detector.detect(await photo()), backend: detector.backendName };
  } finally {
    detector.dispose();
  }
});
