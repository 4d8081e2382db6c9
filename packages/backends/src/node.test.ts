import { isMtcnnError } from '@mtcnn/core';
import { loadWeights } from '@mtcnn/models/node';
import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES, BACKENDS, createBackend, DEFAULT_BACKEND, isBackendName, openDetector } from './node.js';

describe('the Node registry', () => {
  it('creates each backend under its registry name, with the weights given or its own', async () => {
    const weights = await loadWeights();
    expect(BACKEND_NAMES).toEqual(Object.keys(BACKENDS));
    for (const name of BACKEND_NAMES) {
      for (const backend of [await createBackend(name), await createBackend(name, { threads: 1, weights })]) {
        expect(backend.name).toBe(name);
        backend.dispose();
      }
      expect(BACKENDS[name].description.length).toBeGreaterThan(0);
    }
  });

  it('defaults to onnx, the fastest correct backend measured (README "Backends")', () => {
    expect(DEFAULT_BACKEND).toBe('onnx');
    expect(isBackendName('onnx')).toBe(true);
    expect(isBackendName('toString')).toBe(false);
    expect(isBackendName('tfjs-webgl')).toBe(false); // a browser backend
  });

  it('refuses an unknown name with INVALID_OPTION naming the known ones', async () => {
    const e = await createBackend('toString' as never).catch((x: unknown) => x);
    expect(isMtcnnError(e, 'INVALID_OPTION')).toBe(true);
    expect((e as Error).message).toContain(BACKEND_NAMES.join(', '));
  });

  it('openDetector: a detector on the backend, with its threads given as a number or in options', async () => {
    for (const threads of [1, { threads: 1 }]) {
      const detector = await openDetector('tfjs-cpu', { minFaceSize: 40 }, threads);
      expect(detector.backend.name).toBe('tfjs-cpu');
      expect(detector.options.minFaceSize).toBe(40);
      detector.dispose();
    }
    await expect(openDetector('onnx', { minFaceSize: 1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
