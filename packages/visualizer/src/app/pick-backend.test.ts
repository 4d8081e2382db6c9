import { describe, expect, it } from 'vitest';
import { defaultBackend, isSoftwareRenderer, slowHint, softwareName } from './pick-backend.js';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';

describe('defaultBackend (bug 9)', () => {
  it('picks ONNX Runtime WebAssembly without a real GPU, tfjs WebGL with one', () => {
    expect(defaultBackend({ webgl: true, renderer: SWIFTSHADER, software: true }).id).toBe('onnx-wasm');
    expect(defaultBackend({ webgl: false, software: true }).id).toBe('onnx-wasm');
    const gpu = defaultBackend({ webgl: true, renderer: 'ANGLE (NVIDIA GeForce RTX 3060)', software: false });
    expect(gpu.id).toBe('tfjs-webgl');
    expect(gpu.why).toContain('NVIDIA');
  });

  it('knows the software renderers by name', () => {
    expect(isSoftwareRenderer(SWIFTSHADER)).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
    expect(softwareName(SWIFTSHADER)).toBe('SwiftShader');
  });

  it('suggests switching when WebGL is software here, or a run was slow', () => {
    const soft = { webgl: true, renderer: SWIFTSHADER, software: true };
    const hard = { webgl: true, renderer: 'Apple M2', software: false };
    expect(slowHint('tfjs-webgl', soft)).toMatch(/software/);
    expect(slowHint('tfjs-wasm', hard, 6000)).toMatch(/6\.0 s/);
    expect(slowHint('tfjs-wasm', hard, 800)).toBeUndefined();
    expect(slowHint('onnx-wasm', soft, 9000)).toBeUndefined();
  });
});
