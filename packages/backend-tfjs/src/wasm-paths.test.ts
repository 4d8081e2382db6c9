import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tfjsWasmPaths } from './wasm-paths.js';

describe('tfjsWasmPaths', () => {
  it("names every .wasm file tfjs-backend-wasm ships, in its dist/, beside this package's node_modules folder", () => {
    const require = createRequire(import.meta.url);
    const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    const shipped = readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'));
    const paths = tfjsWasmPaths();
    expect(Object.keys(paths).sort()).toEqual(shipped.sort());
    // Installed, this file is node_modules/@mtcnn/backend-tfjs/dist/wasm-paths.js (src/ here is at
    // the same depth): each URL must be node_modules/@tensorflow/tfjs-backend-wasm/dist/<file>.
    const nodeModules = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    for (const [file, url] of Object.entries(paths)) {
      expect(relative(nodeModules, fileURLToPath(url)).split(sep)).toEqual([
        '@tensorflow',
        'tfjs-backend-wasm',
        'dist',
        file,
      ]);
    }
  });
});
