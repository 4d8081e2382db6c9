import { describe, expect, it } from 'vitest';
import { fixtureInput } from '../fixture.test-util.js';
import { edgeDistance, overlapParts } from './overlap.js';

describe('overlapParts', () => {
  it('reproduces the IoU of every suppression in the trace (union) and the O-Net overlap (min)', async () => {
    const { trace } = await fixtureInput();
    const c = trace.pnet.candidates;
    let n = 0;
    for (const v of c) {
      if (!v.scaleNms.kept) {
        expect(overlapParts(v.box, c[v.scaleNms.by!].box).value).toBeCloseTo(v.scaleNms.overlap!, 5);
        n++;
      }
    }
    const o = trace.onet.inputs;
    for (const v of o) {
      if (v.nms && !v.nms.kept) {
        expect(overlapParts(v.regressed!, o[v.nms.by!].regressed!, 'min').value).toBeCloseTo(v.nms.overlap!, 5);
        n++;
      }
    }
    expect(n).toBeGreaterThan(1);
  });

  it('computes a hand-checked case', () => {
    // [0,0,10,10] and [5,5,15,15]: intersection 5x5 = 25, union 100 + 100 - 25 = 175.
    const p = overlapParts([0, 0, 10, 10], [5, 5, 15, 15]);
    expect(p).toEqual({
      intersection: [5, 5, 10, 10],
      interArea: 25,
      areaA: 100,
      areaB: 100,
      denominator: 175,
      value: 25 / 175,
    });
    // min: +1 everywhere: 6x6 over 11x11.
    expect(overlapParts([0, 0, 10, 10], [5, 5, 15, 15], 'min').value).toBe(36 / 121);
    expect(edgeDistance([0, 0, 10, 10], 1, 5)).toBe(1);
    expect(edgeDistance([0, 0, 10, 10], 13, 14)).toBe(5);
  });
});
