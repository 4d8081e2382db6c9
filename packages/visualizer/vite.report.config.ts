import { defineConfig } from 'vite';

// The report viewer: one IIFE script + one CSS file that `mtcnn report` inlines into a single HTML file.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/report',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: 'src/report/main.ts',
      formats: ['iife'],
      name: 'MtcnnReport',
      fileName: () => 'report.js',
      cssFileName: 'report',
    },
  },
});
