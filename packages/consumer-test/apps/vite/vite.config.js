import { defineConfig } from 'vite';

// Nothing about mtcnn here: the weights and the .wasm files are emitted from the packages' own
// new URL(..., import.meta.url) references. Two pages, to measure each backend's bundle alone.
export default defineConfig({
  build: { manifest: true, rollupOptions: { input: { onnx: 'onnx.html', tfjs: 'tfjs.html' } } },
});
