import { describe, expect, it } from 'vitest';
import { loadOrt } from './node-runtime.js';
import { loadWebOrt } from './runtime.js';

describe('loadOrt', () => {
  it('defaults to onnxruntime-node in Node', async () => {
    const ort = await loadOrt();
    expect(ort).toBe(await loadOrt('node'));
    expect(typeof ort.InferenceSession.create).toBe('function');
  });

  it('loads the WebAssembly build of onnxruntime-web', async () => {
    const web = await loadOrt('web');
    expect(web).toBe(await loadWebOrt());
    expect(web).not.toBe(await loadOrt('node'));
  });

  it('rejects an unknown runtime', async () => {
    await expect(loadOrt('webgl' as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
