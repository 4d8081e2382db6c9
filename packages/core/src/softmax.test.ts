import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { faceProbabilities, faceProbability, logitLowerBound } from './softmax.js';

// Made by scripts/reference-fixtures.py with torch 1.13.1 (the reference's version): nn.Softmax(dim=1)
// over P-Net's [1, 2, H, W] map and over R-Net / O-Net's [N, 2], as float32 bit patterns.
const ref = JSON.parse(readFileSync(new URL('./softmax.reference.json', import.meta.url), 'utf8')) as Record<
  'l0_bits' | 'l1_bits' | 'lastdim_bits' | 'map_bits',
  number[]
>;
const fromBits = (b: number[]): Float32Array => new Float32Array(Uint32Array.from(b).buffer);
const l0 = fromBits(ref.l0_bits);
const l1 = fromBits(ref.l1_bits);
/** The reference's `l1 - l0`, as backends return it. */
const logits = Float32Array.from(l0, (v, i) => l1[i] - v);

/** Distance in float32 steps (both finite, same sign). */
const ulps = (a: number, b: number): number => {
  const u = new Uint32Array(new Float32Array([a, b]).buffer);
  return Math.abs(u[0] - u[1]);
};

describe('faceProbability', () => {
  it('is 1/2 at logit 0, 0 and 1 at the infinite logits, NaN for NaN', () => {
    for (const k of ['divide', 'reciprocal'] as const) {
      expect(faceProbability(0, k)).toBe(0.5);
      expect(faceProbability(Infinity, k)).toBe(1);
      expect(faceProbability(-Infinity, k)).toBe(0);
      expect(faceProbability(NaN, k)).toBeNaN();
    }
  });

  it('rounds the sum 1 + exp(-d) to float32 first, as torch does (saturated scores)', () => {
    // d = 16: exp(-16) = 1.125e-7 is nearer 2^-23 than 0, so the sum is 1 + 2^-23 and the
    // probability 1 / (1 + 2^-23) rounds to 1 - 2^-23 = 0.99999988079 (bits 0x3F7FFFFE).
    expect(faceProbability(16, 'reciprocal')).toBe(1 - 2 ** -23);
    // d = 16.7: exp(-16.7) = 5.6e-8 < 2^-24, so the sum rounds to 1 and the probability is 1;
    // a sigmoid in float64 rounded once would give 1 - 2^-24 instead.
    expect(faceProbability(16.7, 'reciprocal')).toBe(1);
    expect(Math.fround(1 / (1 + Math.exp(-16.7)))).toBe(1 - 2 ** -24);
  });

  it.each(['map', 'lastdim'] as const)(
    "matches torch 1.13's softmax (%s): same bits for every p >= 0.999, at most 2 ulps elsewhere",
    (which) => {
      const want = fromBits(which === 'map' ? ref.map_bits : ref.lastdim_bits);
      const got = faceProbabilities(logits, which === 'map' ? 'divide' : 'reciprocal');
      let saturated = 0;
      let oneUlp = 0;
      for (let i = 0; i < want.length; i++) {
        if (want[i] >= 0.999) {
          saturated++;
          expect(got[i], `pair ${i}`).toBe(want[i]);
        } else {
          // torch's exponential (SLEEF, within 1 ulp) is not always correctly rounded.
          expect(ulps(got[i], want[i]), `pair ${i}`).toBeLessThanOrEqual(2);
          if (got[i] !== want[i]) oneUlp++;
        }
      }
      expect(saturated).toBeGreaterThan(1000);
      expect(oneUlp).toBeLessThan(want.length / 20); // measured about 2.5%
    },
  );
});

describe('logitLowerBound', () => {
  it('no logit below it reaches the threshold; the exact logit of the threshold is above it', () => {
    for (const t of [0.05, 0.5, 0.6, 0.7, 0.9, 0.999, 0.9999999]) {
      const b = logitLowerBound(t);
      const below = Math.fround(b - Math.abs(b) * 1e-7 - 1e-30);
      expect(faceProbability(below, 'divide') < Math.fround(t), `threshold ${t}`).toBe(true);
      expect(b).toBeLessThan(Math.log(t / (1 - t)));
    }
    expect(logitLowerBound(0)).toBe(-Infinity);
    expect(Number.isFinite(logitLowerBound(1))).toBe(true);
    expect(faceProbability(logitLowerBound(1), 'divide')).toBeLessThan(1);
  });
});
