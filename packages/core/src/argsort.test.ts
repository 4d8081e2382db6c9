import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argsortNumpy, argsortNumpyHeapsort, argsortTorchDescending } from './argsort.js';

interface ReferenceCase {
  name: string;
  keys: number[];
  numpy: number[];
  numpyHeapsort: number[];
  torchDescending: number[];
  batchedNms: number[];
}
// Made by scripts/reference-sorts.py with numpy 1.24.2 and torch 1.13.1 / torchvision 0.14.1.
const reference = JSON.parse(readFileSync(new URL('./argsort.reference.json', import.meta.url), 'utf8')) as {
  cases: ReferenceCase[];
};
const valuesOf = (keys: readonly number[]): Float32Array => Float32Array.from(keys, (k) => 1 - k * 2 ** -24);

const isPermutation = (p: ArrayLike<number>, n: number): boolean =>
  p.length === n && new Set(Array.from(p)).size === n && Array.from(p).every((i) => i >= 0 && i < n);

describe('argsortNumpy (numpy 1.24 np.argsort, default kind)', () => {
  it('up to 16 elements it is an insertion sort: stable', () => {
    expect(Array.from(argsortNumpy([1, 0, 1, 0]))).toEqual([1, 3, 0, 2]);
    const v = Array.from({ length: 16 }, () => 5);
    expect(Array.from(argsortNumpy(v))).toEqual(v.map((_, i) => i));
  });

  it('17 equal values: one partition around the middle, derived by hand', () => {
    // pl = 0, pr = 16, pivot index 8 swapped to pr - 1 = 15; the scans stop at every element
    // (none is less than the pivot), swapping 1<->14, 2<->13, ... 7<->8, then pi = 8 takes the
    // pivot back from 15. Both halves (8 elements) are then insertion-sorted (nothing moves).
    expect(Array.from(argsortNumpy(new Float32Array(17)))).toEqual([
      0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1, 7, 16,
    ]);
  });

  it('NaN sorts last', () => {
    expect(Array.from(argsortNumpy([NaN, 2, 1, NaN, 0]))).toEqual([4, 2, 1, 0, 3]);
  });

  it.each(reference.cases.map((c) => [c.name, c] as const))('%s: as numpy 1.24', (_, c) => {
    const got = argsortNumpy(valuesOf(c.keys));
    expect(Array.from(got)).toEqual(c.numpy);
  });

  it.each(reference.cases.map((c) => [c.name, c] as const))('%s: heapsort as numpy kind="heapsort"', (_, c) => {
    expect(Array.from(argsortNumpyHeapsort(valuesOf(c.keys)))).toEqual(c.numpyHeapsort);
  });

  it('sorts any input ascending (invariant, random with ties)', () => {
    let seed = 1;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31) * 7;
    };
    for (const n of [0, 1, 2, 15, 16, 17, 100, 5000]) {
      const v = Float32Array.from({ length: n }, () => Math.floor(rnd()));
      const p = argsortNumpy(v);
      expect(isPermutation(p, n)).toBe(true);
      for (let i = 1; i < n; i++) expect(v[p[i - 1]] <= v[p[i]]).toBe(true);
    }
  });
});

describe('argsortTorchDescending (torch 1.13 CPU sort(descending=True): std::sort)', () => {
  it('up to 16 elements it is an insertion sort: stable', () => {
    expect(Array.from(argsortTorchDescending([0, 1, 0, 1]))).toEqual([1, 3, 0, 2]);
  });

  it('17 equal values, derived by hand', () => {
    // Median of (1, 8, 16) among equals is 8, swapped to the front; the unguarded partition of
    // [1, 17) stops at every element and swaps 1<->16, 2<->15, ... 8<->9 (cut = 9). The final
    // insertion sorts move nothing.
    expect(Array.from(argsortTorchDescending(new Float32Array(17)))).toEqual([
      8, 16, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1,
    ]);
  });

  it.each(reference.cases.map((c) => [c.name, c] as const))('%s: as torch 1.13', (_, c) => {
    expect(Array.from(argsortTorchDescending(valuesOf(c.keys)))).toEqual(c.torchDescending);
  });

  it('sorts any input descending (invariant; deep recursion falls back to heapsort)', () => {
    let seed = 3;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31) * 5;
    };
    for (const n of [0, 1, 2, 16, 17, 100, 5000]) {
      const v = Float32Array.from({ length: n }, () => Math.floor(rnd()));
      const p = argsortTorchDescending(v);
      expect(isPermutation(p, n)).toBe(true);
      for (let i = 1; i < n; i++) expect(v[p[i - 1]] >= v[p[i]]).toBe(true);
    }
  });
});
