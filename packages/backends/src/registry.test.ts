import { isMtcnnError, type MtcnnBackend } from '@mtcnn/core';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { describe, expect, it } from 'vitest';
import { defineRegistry } from './registry.js';

/** A registry of one real backend that records what happens to the backends it made. */
function tracked() {
  const made: { backend: MtcnnBackend; disposed: boolean }[] = [];
  const registry = defineRegistry<'cpu', { threads?: number }>(
    'test',
    {
      cpu: {
        description: 'tfjs-cpu in this thread',
        async create(options) {
          const backend = await createNodeTfjsBackend({ backend: 'cpu', threads: options.threads ?? 1 });
          const entry = { backend, disposed: false };
          made.push(entry);
          const dispose = backend.dispose.bind(backend);
          backend.dispose = () => {
            entry.disposed = true;
            dispose();
          };
          return backend;
        },
      },
    },
    'cpu',
  );
  return { registry, made };
}

describe('defineRegistry', () => {
  it('lists the names in order, with the default, and knows its own names only', () => {
    const { registry } = tracked();
    expect(registry.BACKEND_NAMES).toEqual(['cpu']);
    expect(Object.isFrozen(registry.BACKEND_NAMES)).toBe(true);
    expect(registry.DEFAULT_BACKEND).toBe('cpu');
    expect(registry.isBackendName('cpu')).toBe(true);
    expect(registry.isBackendName('hasOwnProperty')).toBe(false);
  });

  it('an unknown name rejects with INVALID_OPTION naming where and what is known', async () => {
    const { registry, made } = tracked();
    const e = await registry.createBackend('gpu' as 'cpu').catch((x: unknown) => x);
    expect(isMtcnnError(e, 'INVALID_OPTION')).toBe(true);
    expect((e as Error).message).toBe('Unknown backend "gpu"; the test backends are cpu.');
    expect(made).toHaveLength(0);
  });

  it('openDetector hands the backend to the detector, and disposes it when the options are refused', async () => {
    const { registry, made } = tracked();
    const detector = await registry.openDetector('cpu', { scaleFactor: 0.5 });
    expect(detector.options.scaleFactor).toBe(0.5);
    expect(made[0].disposed).toBe(false);
    detector.dispose();
    expect(made[0].disposed).toBe(true);
    await expect(registry.openDetector('cpu', { scaleFactor: 2 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(made).toHaveLength(2);
    expect(made[1].disposed).toBe(true);
  });
});
