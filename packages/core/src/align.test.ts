import { describe, expect, it } from 'vitest';
import {
  ARCFACE_TEMPLATE,
  alignmentTemplate,
  applySimilarity,
  estimateSimilarity,
  invertSimilarity,
  similarityAngle,
  similarityMatrix,
  similarityScale,
  type Similarity,
} from './align.js';
import type { Point } from './face.js';

/** The similarity with this scale, angle (radians) and shift. */
const sim = (scale: number, angle: number, tx: number, ty: number): Similarity => ({
  a: scale * Math.cos(angle),
  b: scale * Math.sin(angle),
  tx,
  ty,
});

const sumSq = (t: Similarity, src: readonly Point[], dst: readonly Point[]): number =>
  src.reduce((s, p, i) => {
    const [x, y] = applySimilarity(t, p);
    return s + (x - dst[i][0]) ** 2 + (y - dst[i][1]) ** 2;
  }, 0);

describe('estimateSimilarity', () => {
  it('solves two points by hand: (0,0),(1,0) -> (3,4),(3,6) is a quarter turn, scale 2, shift (3,4)', () => {
    const t = estimateSimilarity(
      [
        [0, 0],
        [1, 0],
      ],
      [
        [3, 4],
        [3, 6],
      ],
    );
    // x' = 0*x - 2*y + 3, y' = 2*x + 0*y + 4.
    expect(t.a).toBeCloseTo(0, 12);
    expect(t.b).toBeCloseTo(2, 12);
    expect(t.tx).toBeCloseTo(3, 12);
    expect(t.ty).toBeCloseTo(4, 12);
    expect(similarityScale(t)).toBeCloseTo(2, 12);
    expect(similarityAngle(t)).toBeCloseTo(Math.PI / 2, 12);
  });

  // The acceptance test: landmarks placed exactly on the template after a known
  // rotation/scale/shift; the fit must recover exactly that map (and its inverse).
  const known = [
    sim(1, 0, 0, 0),
    sim(2.5, 0.3, 140, -20),
    sim(0.4, -1.1, 12.5, 300),
    sim(7.3, Math.PI * 0.97, -50, 81), // nearly upside down
  ];
  it.each(known.map((t) => [t]))('recovers a known similarity from the template mapped by it: %o', (t) => {
    const landmarks = ARCFACE_TEMPLATE.map((p) => applySimilarity(t, p));
    const fwd = estimateSimilarity(ARCFACE_TEMPLATE, landmarks);
    for (const k of ['a', 'b', 'tx', 'ty'] as const) expect(Math.abs(fwd[k] - t[k])).toBeLessThan(1e-3);
    // The alignment direction (landmarks -> template) is the inverse map.
    const back = estimateSimilarity(landmarks, ARCFACE_TEMPLATE);
    const inv = invertSimilarity(t);
    for (const k of ['a', 'b', 'tx', 'ty'] as const) expect(Math.abs(back[k] - inv[k])).toBeLessThan(1e-3);
    for (const [i, p] of landmarks.entries()) {
      const q = applySimilarity(back, p);
      expect(Math.hypot(q[0] - ARCFACE_TEMPLATE[i][0], q[1] - ARCFACE_TEMPLATE[i][1])).toBeLessThan(1e-3);
    }
  });

  it('is the least-squares fit: any nudge of the four parameters raises the error (noisy points)', () => {
    // Template moved by a known map plus fixed "noise" of up to 2 px: no exact fit exists.
    const noise: Point[] = [
      [1.5, -0.5],
      [-2, 1],
      [0.5, 2],
      [-1, -1.5],
      [1, 0.25],
    ];
    const src = ARCFACE_TEMPLATE.map((p, i): Point => {
      const [x, y] = applySimilarity(sim(3, 0.2, 10, 20), p);
      return [x + noise[i][0], y + noise[i][1]];
    });
    const t = estimateSimilarity(src, ARCFACE_TEMPLATE);
    const best = sumSq(t, src, ARCFACE_TEMPLATE);
    for (const k of ['a', 'b', 'tx', 'ty'] as const) {
      for (const d of [1e-4, -1e-4])
        expect(sumSq({ ...t, [k]: t[k] + d }, src, ARCFACE_TEMPLATE)).toBeGreaterThan(best);
    }
  });

  it('never reflects: for mirrored points it still returns a rotation (positive determinant)', () => {
    const mirrored = ARCFACE_TEMPLATE.map(([x, y]): Point => [112 - x, y]);
    const t = estimateSimilarity(mirrored, ARCFACE_TEMPLATE);
    const [m00, m01, , m10, m11] = similarityMatrix(t);
    expect(m00 * m11 - m01 * m10).toBeGreaterThanOrEqual(0);
  });

  it('refuses coincident or too few points', () => {
    expect(() => estimateSimilarity([[1, 1]], [[2, 2]])).toThrow(/at least 2/);
    const same: Point[] = new Array(5).fill([3, 3]);
    expect(() => estimateSimilarity(same, ARCFACE_TEMPLATE)).toThrow(/coincide/);
  });
});

describe('invertSimilarity', () => {
  it('undoes the map', () => {
    const t = sim(1.7, 0.4, -3, 8);
    const p: Point = [12.25, -7.5];
    const q = applySimilarity(invertSimilarity(t), applySimilarity(t, p));
    expect(q[0]).toBeCloseTo(p[0], 12);
    expect(q[1]).toBeCloseTo(p[1], 12);
  });
});

describe('alignmentTemplate', () => {
  it('is the ArcFace template at 112 without margin', () => {
    expect(alignmentTemplate(112, 0)).toEqual(ARCFACE_TEMPLATE.map(([x, y]) => [x, y]));
  });

  it('scales about the outer corner: at 224 a point p goes to 2p + 0.5', () => {
    // (p + 0.5) * 2 - 0.5 = 2p + 0.5.
    const t = alignmentTemplate(224);
    t.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(2 * ARCFACE_TEMPLATE[i][0] + 0.5, 12);
      expect(y).toBeCloseTo(2 * ARCFACE_TEMPLATE[i][1] + 0.5, 12);
    });
  });

  it('shrinks by 1 + margin about the crop centre', () => {
    // Centre of 0..111 is 55.5; margin 1 halves the distances to it.
    const t = alignmentTemplate(112, 1);
    t.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(55.5 + (ARCFACE_TEMPLATE[i][0] - 55.5) / 2, 12);
      expect(y).toBeCloseTo(55.5 + (ARCFACE_TEMPLATE[i][1] - 55.5) / 2, 12);
    });
  });
});
