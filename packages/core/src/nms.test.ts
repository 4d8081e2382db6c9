import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Box } from './box.js';
import { nms } from './nms.js';

describe('nms union (IoU, no +1)', () => {
  it('[0,0,10,10] vs [5,0,15,10]: IoU = 50 / 150 = 1/3', () => {
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [5, 0, 15, 10],
    ];
    const r = nms(boxes, [0.9, 0.8], 0.3, 'union');
    expect(r.keep).toEqual([0]);
    expect(r.suppressedBy[0]).toBeUndefined();
    expect(r.suppressedBy[1]?.by).toBe(0);
    expect(r.suppressedBy[1]?.overlap).toBeCloseTo(1 / 3, 6);
    // Just above 1/3 both stay.
    expect(nms(boxes, [0.9, 0.8], 0.34, 'union').keep).toEqual([0, 1]);
  });

  it('suppresses only when IoU > threshold (IoU exactly 0.5 at threshold 0.5 is kept)', () => {
    // Inter 10*5 = 50, union 100 + 50 - 50 = 100: IoU 0.5 exactly.
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [0, 0, 10, 5],
    ];
    expect(nms(boxes, [0.9, 0.8], 0.5, 'union').keep).toEqual([0, 1]);
    expect(nms(boxes, [0.9, 0.8], 0.49, 'union').keep).toEqual([0]);
  });

  it('touching or disjoint boxes do not overlap', () => {
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [10, 0, 20, 10],
      [30, 30, 40, 40],
    ];
    const r = nms(boxes, [0.9, 0.8, 0.7], 0, 'union');
    expect(r.keep).toEqual([0, 1, 2]);
  });
});

describe('nms min (+1 in areas and intersection)', () => {
  it('[0,0,10,10] vs [5,0,15,10]: inter 6*11 = 66 over min area 11*11 = 121', () => {
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [5, 0, 15, 10],
    ];
    const r = nms(boxes, [0.9, 0.8], 0.5, 'min');
    expect(r.keep).toEqual([0]);
    expect(r.suppressedBy[1]?.by).toBe(0);
    expect(r.suppressedBy[1]?.overlap).toBeCloseTo(66 / 121, 6);
    expect(nms(boxes, [0.9, 0.8], 0.55, 'min').keep).toEqual([0, 1]);
  });

  it('differs from union on the same boxes and threshold', () => {
    // Union IoU 1/3 <= 0.5 keeps both; min overlap 6/11 > 0.5 drops one.
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [5, 0, 15, 10],
    ];
    expect(nms(boxes, [0.9, 0.8], 0.5, 'union').keep).toEqual([0, 1]);
    expect(nms(boxes, [0.9, 0.8], 0.5, 'min').keep).toEqual([0]);
  });

  it('divides by the smaller area: a small box inside a big one overlaps 1', () => {
    // Big 21x21 (with +1), small 11x11 fully inside: inter 121 / min 121 = 1 (union IoU would be 100/400).
    const boxes: Box[] = [
      [0, 0, 20, 20],
      [5, 5, 15, 15],
    ];
    const r = nms(boxes, [0.9, 0.8], 0.7, 'min');
    expect(r.keep).toEqual([0]);
    expect(r.suppressedBy[1]).toEqual({ by: 0, overlap: 1 });
    expect(nms(boxes, [0.9, 0.8], 0.7, 'union').keep).toEqual([0, 1]);
  });

  it('touching boxes overlap by one pixel column with +1', () => {
    // Inter (10 - 10 + 1) * 11 = 11 over 121 = 1/11.
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [10, 0, 20, 10],
    ];
    const r = nms(boxes, [0.9, 0.8], 0.05, 'min');
    expect(r.suppressedBy[1]?.overlap).toBeCloseTo(1 / 11, 6);
  });

  it('keeps only while overlap <= threshold (overlap exactly 0.5 at 0.5 is kept)', () => {
    // Areas 10*10 = 100 each; inter (9 - 5 + 1) * 10 = 50: overlap 0.5.
    const boxes: Box[] = [
      [0, 0, 9, 9],
      [5, 0, 14, 9],
    ];
    expect(nms(boxes, [0.9, 0.8], 0.5, 'min').keep).toEqual([0, 1]);
    expect(nms(boxes, [0.9, 0.8], 0.49, 'min').keep).toEqual([0]);
  });

  it('compares in float32: an overlap equal to the float32 threshold is kept', () => {
    // Overlap float32(66/121) = float32(6/11); the threshold 6/11 becomes the same float32 value.
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [5, 0, 15, 10],
    ];
    expect(nms(boxes, [0.9, 0.8], 6 / 11, 'min').keep).toEqual([0, 1]);
  });
});

describe('nms greedy order and bookkeeping', () => {
  for (const method of ['union', 'min'] as const) {
    it(`${method}: visits boxes by score, descending, whatever the input order`, () => {
      // Three disjoint boxes: all kept, listed best first.
      const boxes: Box[] = [
        [0, 0, 10, 10],
        [20, 0, 30, 10],
        [40, 0, 50, 10],
      ];
      expect(nms(boxes, [0.2, 0.9, 0.5], 0.5, method).keep).toEqual([1, 2, 0]);
    });

    it(`${method}: the best box suppresses, whatever its index`, () => {
      const boxes: Box[] = [
        [0, 0, 10, 10],
        [1, 0, 11, 10],
      ];
      const r = nms(boxes, [0.6, 0.95], 0.5, method);
      expect(r.keep).toEqual([1]);
      expect(r.suppressedBy[0]?.by).toBe(1);
      expect(r.suppressedBy[1]).toBeUndefined();
    });

    it(`${method}: a suppressed box suppresses nothing (chain A > B > C keeps A and C)`, () => {
      // Union: IoU(A,B) = IoU(B,C) = 60/140 = 3/7 > 0.4, IoU(A,C) = 20/180 = 1/9.
      // Min: (A,B) = (B,C) = 7*11/121 = 7/11 > 0.4, (A,C) = 3*11/121 = 3/11.
      const boxes: Box[] = [
        [0, 0, 10, 10],
        [4, 0, 14, 10],
        [8, 0, 18, 10],
      ];
      const r = nms(boxes, [0.9, 0.8, 0.7], 0.4, method);
      expect(r.keep).toEqual([0, 2]);
      expect(r.suppressedBy[1]?.by).toBe(0);
      expect(r.suppressedBy[1]?.overlap).toBeCloseTo(method === 'union' ? 3 / 7 : 7 / 11, 6);
      expect(r.suppressedBy[2]).toBeUndefined();
      // With B gone, C would have been suppressed by B at 0.4 but not by A.
      expect(nms([boxes[1], boxes[2]], [0.8, 0.7], 0.4, method).keep).toEqual([0]);
    });

    it(`${method}: records the suppressor by input index and a float32 overlap`, () => {
      const boxes: Box[] = [
        [100, 100, 110, 110],
        [0, 0, 10, 10],
        [0, 0, 10, 9],
        [101, 100, 111, 110],
      ];
      const r = nms(boxes, [0.5, 0.9, 0.8, 0.7], 0.5, method);
      expect(r.keep).toEqual([1, 3]);
      expect(r.suppressedBy).toHaveLength(4);
      expect(r.suppressedBy[2]?.by).toBe(1);
      expect(r.suppressedBy[0]?.by).toBe(3);
      for (const s of r.suppressedBy) if (s) expect(Math.fround(s.overlap)).toBe(s.overlap);
    });

    it(`${method}: empty input`, () => {
      expect(nms([], [], 0.5, method)).toEqual({ keep: [], suppressedBy: [] });
    });
  }

  it('ties: union takes the lower index first (stable), min the higher (numpy argsort walked from the end)', () => {
    const boxes: Box[] = [
      [0, 0, 10, 10],
      [0, 0, 10, 10],
    ];
    expect(nms(boxes, [0.8, 0.8], 0.5, 'union').keep).toEqual([0]);
    expect(nms(boxes, [0.8, 0.8], 0.5, 'min').keep).toEqual([1]);
  });
});

describe('nms on a grid (many boxes) equals the all-pairs definition', () => {
  /** Deterministic pseudo-random numbers (mulberry32). */
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const f = Math.fround;
  const cases: [string, (r: () => number) => Box][] = [
    // One P-Net level: equal integer boxes on a stride, many overlapping.
    [
      'equal boxes on a lattice',
      (r) => {
        const x = Math.floor(r() * 60) * 3;
        const y = Math.floor(r() * 40) * 3;
        return [x, y, x + 17, y + 17];
      },
    ],
    // Across levels / after regression: float32 boxes of very different sizes, some huge.
    [
      'mixed sizes, float32',
      (r) => {
        const s = r() < 0.05 ? 300 + r() * 500 : 5 + r() * 60;
        const x = f(r() * 400 - 50);
        const y = f(r() * 300 - 50);
        return [x, y, f(x + s), f(y + s * (0.5 + r()))];
      },
    ],
    // Touching edges and boxes one pixel apart (the +1 of "min").
    [
      'touching',
      (r) => {
        const x = Math.floor(r() * 30) * 10;
        const y = Math.floor(r() * 30) * 10;
        return [x, y, x + 10 - (r() < 0.5 ? 1 : 0), y + 10];
      },
    ],
  ];
  for (const [name, make] of cases) {
    for (const method of ['union', 'min'] as const) {
      for (const threshold of [0, 0.3, 0.5, 0.7]) {
        it(`${name}, ${method}, threshold ${threshold}`, () => {
          const r = rng(name.length * 1000 + threshold * 10);
          const boxes = Array.from({ length: 700 }, () => make(r));
          // Ties in scores exercise the tie-break order.
          const scores = boxes.map(() => f(Math.floor(r() * 50) / 50));
          const grid = nms(boxes, scores, threshold, method);
          const all = nms(boxes, scores, threshold, method, { grid: false });
          expect(grid.keep).toEqual(all.keep);
          expect(grid.suppressedBy).toEqual(all.suppressedBy);
        });
      }
    }
  }

  it('falls back to the definition for degenerate boxes (zero area)', () => {
    const boxes: Box[] = Array.from({ length: 100 }, (_, i) => [i, 0, i, 10]);
    const scores = boxes.map((_, i) => 1 - i / 100);
    expect(nms(boxes, scores, 0.5, 'union')).toEqual(nms(boxes, scores, 0.5, 'union', { grid: false }));
    expect(nms(boxes, scores, 0.5, 'min')).toEqual(nms(boxes, scores, 0.5, 'min', { grid: false }));
  });
});

describe('equal scores (ties)', () => {
  interface RefCase {
    name: string;
    keys: number[];
    batchedNms: number[];
  }
  // Made by scripts/reference-fixtures.py: torchvision 0.14's batched_nms on disjoint boxes (all kept).
  const cases = (
    JSON.parse(readFileSync(new URL('./argsort.reference.json', import.meta.url), 'utf8')) as { cases: RefCase[] }
  ).cases;
  const disjoint = (n: number): Box[] => Array.from({ length: n }, (_, i) => [10 * i, 0, 10 * i + 5, 5]);

  it.each(cases.map((c) => [c.name, c] as const))(
    'union, reference ties: the order of torchvision batched_nms (%s)',
    (_, c) => {
      const scores = Float32Array.from(c.keys, (k) => 1 - k * 2 ** -24);
      expect(nms(disjoint(c.keys.length), scores, 0.5, 'union', { ties: 'reference' }).keep).toEqual(c.batchedNms);
    },
  );

  it('union: up to 1,000 boxes the reference order is the stable one; over 1,000 it is not', () => {
    const ones = (n: number): Float32Array => new Float32Array(n).fill(0.5);
    const stable = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
    expect(nms(disjoint(1000), ones(1000), 0.5, 'union', { ties: 'reference' }).keep).toEqual(stable(1000));
    expect(nms(disjoint(1001), ones(1001), 0.5, 'union', { ties: 'stable' }).keep).toEqual(stable(1001));
    expect(nms(disjoint(1001), ones(1001), 0.5, 'union', { ties: 'reference' }).keep).not.toEqual(stable(1001));
  });

  it(
    'min, 17 equal scores: stable takes the later index first, ' +
      'reference takes numpy introsort order (hand-derived)',
    () => {
      // np.argsort of 17 equal values is [0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1, 7, 16]
      // (argsort.test.ts); nms_numpy walks it from the end.
      const boxes = disjoint(17);
      const scores = new Float32Array(17).fill(0.9);
      expect(nms(boxes, scores, 0.7, 'min', { ties: 'reference' }).keep).toEqual([
        16, 7, 1, 2, 3, 4, 5, 6, 8, 15, 9, 10, 11, 12, 13, 14, 0,
      ]);
      expect(nms(boxes, scores, 0.7, 'min').keep).toEqual(Array.from({ length: 17 }, (_, i) => 16 - i));
      // Boxes 7 and 15 made identical: the one taken first suppresses the other.
      boxes[15] = [...boxes[7]];
      const ref = nms(boxes, scores, 0.7, 'min', { ties: 'reference' });
      expect(ref.suppressedBy[15]?.by).toBe(7);
      expect(ref.keep).not.toContain(15);
      const stable = nms(boxes, scores, 0.7, 'min');
      expect(stable.suppressedBy[7]?.by).toBe(15);
      expect(stable.keep).not.toContain(7);
    },
  );
});
