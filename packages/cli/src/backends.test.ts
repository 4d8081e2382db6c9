import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BACKENDS, DEFAULT_BACKEND, isBackendName } from './backends.js';
import { run } from './program.js';

const SAMPLE = join(fileURLToPath(new URL('../../../', import.meta.url)), 'examples/astronaut-collage.jpg');

async function detect(backend: string) {
  let stdout = '';
  const code = await run(['detect', '--backend', backend, '-q', SAMPLE], {
    stdout: (t) => (stdout += t),
    stderr: () => {},
  });
  expect(code).toBe(0);
  return JSON.parse(stdout)[0].faces as { box: number[]; confidence: number }[];
}

describe('CLI backends', () => {
  it('creates each backend under its CLI name', async () => {
    for (const [name, create] of Object.entries(BACKENDS)) {
      const backend = await create();
      expect(backend.name).toBe(name);
      backend.dispose();
    }
    // The fastest correct backend, measured (README "Backends").
    expect(DEFAULT_BACKEND).toBe('onnx');
    expect(isBackendName('onnx')).toBe(true);
    expect(isBackendName('toString')).toBe(false);
  });

  it.each(['onnx', 'onnx-wasm'])('detect --backend %s finds the faces tfjs-wasm finds', async (backend) => {
    const [got, want] = await Promise.all([detect(backend), detect('tfjs-wasm')]);
    expect(got).toHaveLength(4);
    expect(got.length).toBe(want.length);
    got.forEach((f, i) => {
      f.box.forEach((v, k) => {
        expect(Math.abs(v - want[i].box[k])).toBeLessThan(1e-3);
      });
      expect(Math.abs(f.confidence - want[i].confidence)).toBeLessThan(1e-4);
    });
  });
});
