import { defineConfig } from 'vite';

// The app: index.html + src/app, built into dist/app. `base: './'` so the build works from any path.
export default defineConfig({
  base: './',
  build: { outDir: 'dist/app', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  // The detection worker (src/app/detect.worker.ts) loads its runtimes with dynamic imports: ES module output.
  worker: { format: 'es' },
});
