/**
 * Where a browser app finds tfjs's WebAssembly binaries: `setWasmPaths(tfjsWasmPaths())` (from
 * `@tensorflow/tfjs-backend-wasm`) before `tf.setBackend('wasm')`. A subpath of its own
 * (`@mtcnn/backend-tfjs/wasm-paths`), so that apps without tfjs-backend-wasm never see it.
 *
 * Each URL is a literal `new URL('…', import.meta.url)`, relative from this file
 * (`node_modules/@mtcnn/backend-tfjs/dist/`) to the sibling package
 * (`node_modules/@tensorflow/tfjs-backend-wasm/dist/`): Vite (`vite build` and the dev server) and
 * webpack 5 then emit the files with the app and rewrite the URLs, so nothing is copied by hand.
 * It relies on both packages being installed in the same `node_modules` (npm, pnpm and yarn's
 * node_modules linker all do so for a dependency and its peer).
 */

/** The three binaries tfjs-backend-wasm picks from (by SIMD and thread support). */
export type TfjsWasmFile =
  | 'tfjs-backend-wasm.wasm'
  | 'tfjs-backend-wasm-simd.wasm'
  | 'tfjs-backend-wasm-threaded-simd.wasm';

/** File name -> URL, the form `setWasmPaths` takes. Browsers only (in Node tfjs finds its files itself). */
export function tfjsWasmPaths(): Record<TfjsWasmFile, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL(
      '../../../@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
      import.meta.url,
    ).href,
    'tfjs-backend-wasm-simd.wasm': new URL(
      '../../../@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
      import.meta.url,
    ).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(
      '../../../@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
      import.meta.url,
    ).href,
  };
}
