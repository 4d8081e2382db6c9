import { describe, expect, it } from 'vitest';
import type { Box } from '../box.js';
import { greedyMatch, iou, searchBox, searchBoxes, TrackSet, type Track } from './tracks.js';

const sq = (x: number, y: number, s: number): Box => [x, y, x + s, y + s];

describe('iou', () => {
  it('is intersection over union, by hand', () => {
    // Two 10x10 squares overlapping 5x10: 50 / (100 + 100 - 50).
    expect(iou(sq(0, 0, 10), sq(5, 0, 10))).toBeCloseTo(1 / 3, 12);
    expect(iou(sq(0, 0, 10), sq(0, 0, 10))).toBe(1);
    expect(iou(sq(0, 0, 10), sq(10, 0, 10))).toBe(0); // touching
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });
});

describe('greedyMatch', () => {
  it('pairs the highest IoU first, each box once, above the threshold only', () => {
    const prev = [sq(0, 0, 10), sq(100, 0, 10)];
    // next[0] overlaps prev[0] a little (1/3), next[1] exactly; next[2] is far from both.
    const next = [sq(5, 0, 10), sq(0, 0, 10), sq(300, 0, 10)];
    const m = greedyMatch(prev, next, 0.3);
    expect(m.pairs).toEqual([[0, 1]]);
    expect(m.unmatchedPrevious).toEqual([1]);
    expect(m.unmatchedNext).toEqual([0, 2]);
  });

  it('takes nothing under the threshold', () => {
    expect(greedyMatch([sq(0, 0, 10)], [sq(5, 0, 10)], 0.5).pairs).toEqual([]);
  });
});

describe('TrackSet', () => {
  it('gives new faces fresh ids and continued faces their ids', () => {
    const t = new TrackSet({ matchIou: 0.3, keepLost: 2 });
    expect(t.update([sq(0, 0, 10), sq(50, 0, 10)])).toEqual([1, 2]);
    // Order changed, both moved 1 px: ids follow the faces, not the order.
    expect(t.update([sq(51, 0, 10), sq(1, 0, 10)])).toEqual([2, 1]);
    // A third face appears.
    expect(t.update([sq(2, 0, 10), sq(52, 0, 10), sq(100, 0, 10)])).toEqual([1, 2, 3]);
  });

  it('remembers a lost face for keepLost frames, then forgets it; ids are never reused', () => {
    const t = new TrackSet({ matchIou: 0.3, keepLost: 2 });
    t.update([sq(0, 0, 10)]);
    t.update([]); // missed 1
    t.update([]); // missed 2
    expect(t.all().map((k) => k.missed)).toEqual([2]);
    expect(t.active()).toEqual([]);
    expect(t.update([sq(0, 0, 10)])).toEqual([1]); // back within keepLost: same id
    t.update([]);
    t.update([]);
    t.update([]); // missed 3 > keepLost: forgotten
    expect(t.all()).toEqual([]);
    expect(t.update([sq(0, 0, 10)])).toEqual([2]);
    t.clear();
    expect(t.update([sq(0, 0, 10)])).toEqual([3]);
  });

  it('prefers the face seen last frame over a lost one for the same box', () => {
    const t = new TrackSet({ matchIou: 0.3, keepLost: 5 });
    t.update([sq(0, 0, 10), sq(3, 0, 10)]); // ids 1, 2
    t.update([sq(0, 0, 10)]); // 1 continues (IoU 1 beats 2's 0.54); 2 lost
    expect(t.update([sq(1, 0, 10)])).toEqual([1]);
  });

  it('measures velocity as the slope over the last sightings, across missed frames', () => {
    const t = new TrackSet({ matchIou: 0.1, keepLost: 5 });
    t.update([sq(0, 0, 10)]);
    t.update([sq(2, 1, 10)]);
    expect(t.active()[0].velocity).toEqual([2, 1, 0]);
    t.update([]); // missed one frame
    t.update([sq(6, 3, 12)]); // 3 frames after the first sighting: centre (12, 9) vs (5, 5), side 12 vs 10
    const v = t.active()[0].velocity;
    expect(v[0]).toBeCloseTo(7 / 3, 12);
    expect(v[1]).toBeCloseTo(4 / 3, 12);
    expect(v[2]).toBeCloseTo(2 / 3, 12);
  });
});

describe('searchBox', () => {
  const track = (box: Box, velocity: [number, number, number], missed = 0): Track => ({
    id: 1,
    box,
    velocity,
    history: [],
    missed,
    hits: 2,
  });

  it('squares the box around its centre and grows it by the margin', () => {
    // 20 x 40 box centred on (10, 20): side 40 * 1.5 = 60.
    expect(searchBox(track([0, 0, 20, 40], [0, 0, 0]), 0.5)).toEqual([-20, -10, 40, 50]);
  });

  it('moves by the velocity, once per frame since the face was seen', () => {
    expect(searchBox(track([0, 0, 10, 10], [3, -2, 2]), 0)).toEqual([3 - 1, -2 - 1, 3 + 11, -2 + 11]);
    // Missing for 1 frame: 2 frames of motion, side 10 + 2 * 2.
    expect(searchBox(track([0, 0, 10, 10], [3, -2, 2], 1), 0)).toEqual([6 - 2, -4 - 2, 6 + 12, -4 + 12]);
  });

  it('adds larger, smaller and shifted copies, the plain search box first', () => {
    const t = track([0, 0, 10, 10], [0, 0, 0]);
    const boxes = searchBoxes(t, 0);
    expect(boxes[0]).toEqual(searchBox(t, 0));
    expect(boxes).toHaveLength(7);
    const sides = boxes.map((b) => b[2] - b[0]);
    expect(sides).toEqual([10, 13, 8, 10, 10, 10, 10]);
    // Shifts of 0.4 * half the side = 2 px each way.
    expect(boxes.slice(3).map((b) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])).toEqual([
      [3, 5],
      [7, 5],
      [5, 3],
      [5, 7],
    ]);
  });
});
