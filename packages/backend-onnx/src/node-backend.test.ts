import { describe, expect, it } from 'vitest';
import { createNodeOnnxBackend } from './node-backend.js';
import { loadOrt } from './node-runtime.js';

describe('createNodeOnnxBackend', () => {
  it('defaults to onnxruntime-node with the weights from disk', async () => {
    const backend = await createNodeOnnxBackend();
    try {
      expect(backend.name).toBe('onnx');
      const out = await backend.runPNet(new Float32Array(12 * 12 * 3), 12, 12);
      expect([out.height, out.width, out.logit.length, out.reg.length]).toEqual([1, 1, 1, 4]);
    } finally {
      await backend.disposeAsync();
    }
  });

  it('runs onnxruntime-web from the installed package, single-threaded by default', async () => {
    const backend = await createNodeOnnxBackend({ runtime: 'wasm', threads: 1 });
    try {
      expect(backend.name).toBe('onnx-wasm');
      const web = await loadOrt('web');
      expect(String(web.env.wasm.wasmPaths)).toMatch(/onnxruntime-web\/dist\/$/);
      expect(web.env.wasm.numThreads).toBe(1);
      expect((await backend.runRNet(new Float32Array(24 * 24 * 3), 1)).reg).toHaveLength(4);
    } finally {
      await backend.disposeAsync();
    }
  });

  it('rejects unknown runtimes and bad thread counts', async () => {
    await expect(createNodeOnnxBackend({ runtime: 'webgpu' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(createNodeOnnxBackend({ threads: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
