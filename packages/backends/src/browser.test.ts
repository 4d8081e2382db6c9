import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES, BACKENDS, createBackend, DEFAULT_BACKEND, isBackendName } from './browser.js';

/** Every module specifier a built file imports, statically or with a literal `import()`. */
function imports(file: URL): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

// The backends themselves run in Chromium: @mtcnn/worker's and the visualizer's browser tests
// detect with each of them through this registry.
describe('the browser registry', () => {
  it('lists the browser backends, each with a menu label, WebGL first', () => {
    expect(BACKEND_NAMES).toEqual(['tfjs-webgl', 'tfjs-wasm', 'onnx-wasm']);
    expect(DEFAULT_BACKEND).toBe('tfjs-webgl');
    expect(BACKENDS['onnx-wasm'].description).toBe('ONNX Runtime · WebAssembly');
    expect(isBackendName('onnx')).toBe(false); // onnxruntime-node: Node only
  });

  it('refuses an unknown name and an assets URL that is not a string with INVALID_OPTION', async () => {
    await expect(createBackend('onnx' as never, { assets: 'http://127.0.0.1/' })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('tfjs-webgl, tfjs-wasm, onnx-wasm'),
    });
    for (const name of BACKEND_NAMES) {
      await expect(createBackend(name, { assets: 42 as never })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('assets'),
      });
    }
  });

  it('imports no Node module and not onnxruntime-node, even lazily (built output)', () => {
    const dist = new URL('../dist/', import.meta.url);
    const seen = [...imports(new URL('browser.js', dist)), ...imports(new URL('registry.js', dist))];
    expect(seen).toContain('onnxruntime-web/wasm');
    for (const specifier of seen) {
      expect(specifier.startsWith('node:')).toBe(false);
      expect(specifier).not.toMatch(/^onnxruntime-node|^@mtcnn\/core\/node|^@tensorflow\/tfjs-node/);
      if (specifier.startsWith('.')) expect(specifier).toBe('./registry.js');
    }
  });
});
