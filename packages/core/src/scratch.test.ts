import { describe, expect, it } from 'vitest';
import { SCRATCH_MAX_BYTES, scratchPool } from './scratch.js';

describe('scratchPool', () => {
  it('lends a pooled buffer back (smallest that fits), as a view of exactly the length asked', () => {
    const pool = scratchPool();
    const a = pool.float32(1000);
    const big = pool.float32(5000);
    pool.give(a);
    pool.give(big);
    expect(pool.heldBytes()).toBe(6000 * 4);
    const b = pool.float32(900);
    expect(b.buffer).toBe(a.buffer);
    expect(b).toHaveLength(900);
    expect(pool.heldBytes()).toBe(5000 * 4);
  });

  it('never holds more than maxBytes: a buffer over it is let go, and the smallest go first to fit', () => {
    const pool = scratchPool({ keep: 4, maxBytes: 1000 });
    pool.give(new Float32Array(300)); // 1200 bytes: over the budget on its own
    expect(pool.heldBytes()).toBe(0);
    pool.give(new Float32Array(100)); // 400
    pool.give(new Uint32Array(150)); // 600
    expect(pool.heldBytes()).toBe(1000);
    pool.give(new Float32Array(200)); // 800: the two smallest (400, 600) go
    expect(pool.heldBytes()).toBe(800);
  });

  it('after one large image, then many small ones, holds at most SCRATCH_MAX_BYTES; clear() lets everything go', () => {
    const pool = scratchPool();
    // A 100-megapixel image's summed-area table (1.2 GB) and first level (432 MB), scaled down
    // in count here but not in the rule: anything over the budget is not kept.
    const table = new Uint32Array(SCRATCH_MAX_BYTES / 4 + 1);
    pool.give(table);
    pool.give(new Float32Array(SCRATCH_MAX_BYTES / 8));
    expect(pool.heldBytes()).toBeLessThanOrEqual(SCRATCH_MAX_BYTES);
    for (let i = 0; i < 20; i++) {
      const small = pool.float32(640 * 480 * 3);
      const sat = pool.uint32(641 * 481 * 3);
      pool.give(small);
      pool.give(sat);
      expect(pool.heldBytes()).toBeLessThanOrEqual(SCRATCH_MAX_BYTES);
    }
    pool.clear();
    expect(pool.heldBytes()).toBe(0);
    pool.give(new Float32Array(10)); // given back after dispose: not kept either
    expect(pool.heldBytes()).toBe(0);
  });

  it('keeps at most `keep` buffers of a type, the largest', () => {
    const pool = scratchPool({ keep: 2 });
    for (const n of [10, 30, 20]) pool.give(new Float32Array(n));
    expect(pool.heldBytes()).toBe(50 * 4);
  });
});
