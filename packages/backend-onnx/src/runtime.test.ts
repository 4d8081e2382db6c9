import { describe, expect, it } from 'vitest';
import { importOrt, isNode, loadWebOrt } from './runtime.js';

describe('loadWebOrt', () => {
  it("loads onnxruntime-web's WebAssembly build", async () => {
    expect(isNode()).toBe(true);
    const web = await loadWebOrt();
    expect(typeof web.InferenceSession.create).toBe('function');
    expect(web.env.wasm).toBeDefined();
    expect(await loadWebOrt()).toBe(web);
  });
});

describe('importOrt', () => {
  it('turns a runtime that cannot be imported into BACKEND_FAILED saying what to install', async () => {
    const missing = () => import(`./no-such-runtime-${Date.now()}.js`);
    await expect(importOrt('node', missing)).rejects.toMatchObject({
      name: 'MtcnnError',
      code: 'BACKEND_FAILED',
      message: expect.stringMatching(/^Could not load ONNX Runtime \(node\): .*Install onnxruntime-node@\^1\.30/),
    });
    await expect(importOrt('web', missing)).rejects.toMatchObject({
      message: expect.stringContaining('Install onnxruntime-web@^1.30.'),
    });
  });
});
