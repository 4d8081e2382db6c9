import { describe, expect, it } from 'vitest';
import { isNode, loadWebOrt } from './runtime.js';

describe('loadWebOrt', () => {
  it("loads onnxruntime-web's WebAssembly build", async () => {
    expect(isNode()).toBe(true);
    const web = await loadWebOrt();
    expect(typeof web.InferenceSession.create).toBe('function');
    expect(web.env.wasm).toBeDefined();
    expect(await loadWebOrt()).toBe(web);
  });
});
