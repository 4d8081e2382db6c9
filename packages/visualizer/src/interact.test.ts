import { describe, expect, it } from 'vitest';
import { pickAt, pickCycling, type ClickMemo, type Pickable } from './interact.js';

const box = (id: number, b: number[]): Pickable => ({ ref: { stage: 'pnet', id }, box: b });

describe('pickAt', () => {
  // A big suppressed box 0 and a kept box 1 nested inside it.
  const items = [box(0, [0, 0, 100, 100]), box(1, [20, 20, 60, 60])];

  it('picks the box whose outline is nearest, so a nested box is picked on its edge', () => {
    expect(pickAt(items, 20, 40, 2)!.ref.id).toBe(1);
    expect(pickAt(items, 1, 40, 2)!.ref.id).toBe(0);
    // Inside both, far from every edge: the smaller one.
    expect(pickAt(items, 40, 40, 2)!.ref.id).toBe(1);
    expect(pickAt(items, 150, 150, 2)).toBeUndefined();
  });

  it('cycles through the boxes under a pointer clicked again at the same place', () => {
    const memo: ClickMemo = {};
    const ids = [1, 2, 3, 4].map(() => pickCycling(items, 40, 40, 2, memo)!.ref.id);
    expect(ids).toEqual([1, 0, 1, 0]);
    expect(pickCycling(items, 90, 90, 2, memo)!.ref.id).toBe(0);
  });
});
