import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, MtcnnError, type Detector } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { BACKENDS } from './backends.js';
import { encode, sampleRgb } from './fixtures.js';

// 500 seeded mutations of a valid JPEG and PNG (bit flips, truncations, header edits) through
// detect(): each resolves with faces or rejects with a typed MtcnnError, within a time limit.
const CASES = 250; // per format
const LIMIT_MS = 15_000;

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(valid: Uint8Array, seed: number): Uint8Array {
  const r = rng(seed);
  const b = Uint8Array.from(valid);
  switch (seed % 4) {
    case 0: // bit flips anywhere
      for (let k = 1 + Math.floor(r() * 8); k > 0; k--) b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
      return b;
    case 1: // truncation
      return b.subarray(0, Math.floor(r() * b.length));
    case 2: // header edits: random bytes in the first 64
      for (let k = 1 + Math.floor(r() * 6); k > 0; k--)
        b[Math.floor(r() * Math.min(64, b.length))] = Math.floor(r() * 256);
      return b;
    default: {
      // a slice removed or duplicated in the middle
      const at = Math.floor(r() * b.length);
      const len = Math.floor(r() * 256);
      return r() < 0.5
        ? Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)])
        : Uint8Array.from([...b.subarray(0, at + len), ...b.subarray(at)]);
    }
  }
}

describe('fuzzed JPEG and PNG through detect()', () => {
  let detector: Detector;
  const valid: Record<string, Uint8Array> = {};
  beforeAll(async () => {
    detector = createDetector(await BACKENDS[0].create(), { decoder: loadImage });
    const img = await sampleRgb(96);
    valid.jpeg = await encode(img, 'jpeg');
    valid.png = await encode(img, 'png');
  });
  afterAll(() => detector?.dispose());

  it.each(['jpeg', 'png'])('%s: every mutation resolves or rejects with a typed error, in time', async (format) => {
    const outcomes: Record<string, number> = {};
    for (let seed = 1; seed <= CASES; seed++) {
      const input = mutate(valid[format], seed);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${format} seed ${seed}: no answer in ${LIMIT_MS} ms`)), LIMIT_MS);
      });
      try {
        const faces = await Promise.race([detector.detect(input), timeout]);
        expect(Array.isArray(faces)).toBe(true);
        outcomes.resolved = (outcomes.resolved ?? 0) + 1;
      } catch (e) {
        if (!(e instanceof MtcnnError)) throw new Error(`${format} seed ${seed}: untyped error ${String(e)}`);
        outcomes[e.code] = (outcomes[e.code] ?? 0) + 1;
      } finally {
        clearTimeout(timer);
      }
    }
    console.log(`fuzz ${format}: ${JSON.stringify(outcomes)}`);
    // The mutations must really exercise the error paths, and some must still decode.
    expect(outcomes.resolved ?? 0).toBeGreaterThan(0);
    expect(CASES - (outcomes.resolved ?? 0)).toBeGreaterThan(0);
  });
});
