import { defineConfig } from 'vite';

// Nothing about mtcnn's files here: the weights and the .wasm files are emitted from the packages'
// own new URL(..., import.meta.url) references. `worker: { format: 'es' }` is the documented setting
// for @mtcnn/worker. One page per backend, to measure each bundle alone.
export default defineConfig({
  build: { manifest: true, rollupOptions: { input: { onnx: 'onnx.html', tfjs: 'tfjs.html', worker: 'worker.html' } } },
  worker: { format: 'es' },
});
