import { describe, expect, it } from 'vitest';
import { isNode, loadOrt } from './runtime.js';

describe('loadOrt', () => {
  it('defaults to onnxruntime-node in Node', async () => {
    expect(isNode()).toBe(true);
    const ort = await loadOrt();
    expect(ort).toBe(await loadOrt('node'));
    expect(typeof ort.InferenceSession.create).toBe('function');
  });

  it('loads the WebAssembly build of onnxruntime-web', async () => {
    const web = await loadOrt('web');
    expect(web).not.toBe(await loadOrt('node'));
    expect(typeof web.InferenceSession.create).toBe('function');
    expect(web.env.wasm).toBeDefined();
  });

  it('rejects an unknown runtime', async () => {
    await expect(loadOrt('webgl' as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
