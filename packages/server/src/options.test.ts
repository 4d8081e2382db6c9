import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, resolveServerOptions } from './options.js';

describe('resolveServerOptions', () => {
  it('defaults: onnx, a worker per core, a queue of 4 per worker, 30 s, 20 MiB', () => {
    const cores = availableParallelism();
    expect(resolveServerOptions()).toMatchObject({
      backend: 'onnx',
      workers: cores,
      queueSize: 4 * cores,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      maxBytes: DEFAULT_MAX_BYTES,
      detector: {},
    });
    expect(DEFAULT_MAX_BYTES).toBe(20 * 1024 * 1024);
    expect(resolveServerOptions({ workers: 1, queueSize: 0 })).toMatchObject({ workers: 1, queueSize: 0 });
  });

  it('names the flag of each bad option', () => {
    const cases: [object, RegExp][] = [
      [{ backend: 'cuda' }, /^--backend must be one of .*onnx.*, got 'cuda'\.$/],
      [{ workers: 0 }, /^--workers must be a whole number from 1 to \d+/],
      [{ workers: 1.5 }, /^--workers/],
      [{ queueSize: -1 }, /^--queue-size must be a whole number from 0/],
      [{ timeoutMs: 0 }, /^--timeout-ms must be a whole number from 1/],
      [{ maxBytes: 2 ** 40 }, /^--max-bytes must be a whole number from 1 to/],
      [{ detector: { scaleFactor: 1 } }, /scaleFactor/],
    ];
    for (const [o, message] of cases)
      expect(() => resolveServerOptions(o)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) }),
      );
  });
});
