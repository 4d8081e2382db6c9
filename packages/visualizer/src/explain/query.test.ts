import type { Box, StageTrace } from '@mtcnn/core';
import { cellBox } from '@mtcnn/core/backend-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureInput } from '../fixture.test-util.js';
import { fmt } from '../model.js';
import { realInput, sharedAvailable, warnSharedMissing } from '../real-trace.test-util.js';
import { iou } from './overlap.js';
import { COVER_IOU, queryRegion } from './query.js';

const xyxy = (b: readonly number[]): Box => [b[0], b[1], b[0] + b[2], b[1] + b[3]];

/** The best P-Net window over a region, by brute force over every cell of every level. */
function bestWindow(trace: StageTrace, region: Box): { p: number; level: number } {
  let best = { p: -1, level: -1 };
  for (const l of trace.pyramid)
    for (let y = 0; y < l.mapHeight; y++)
      for (let x = 0; x < l.mapWidth; x++)
        if (iou(cellBox(x, y, l.scale), region) >= COVER_IOU && l.prob[y * l.mapWidth + x] > best.p)
          best = { p: l.prob[y * l.mapWidth + x], level: l.index };
  return best;
}

describe('queryRegion (fixture)', () => {
  it('names a detected face, from a point inside it or its box', async () => {
    const { trace } = await fixtureInput();
    const box = xyxy(trace.faces[0].box);
    for (const region of [
      { kind: 'box', box } as const,
      { kind: 'point', x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 } as const,
    ]) {
      const a = queryRegion(trace, region);
      expect(a.verdict).toMatchObject({ at: 'face', face: 0 });
      expect(a.summary).toMatch(/^Detected: face 1/);
      // Every stage has a box over the face: the face's own chain.
      expect(a.hits.pnet.length).toBeGreaterThan(0);
      expect(a.hits.rnet.length).toBeGreaterThan(0);
      expect(a.hits.onet.length).toBeGreaterThan(0);
    }
  });

  it('lists every candidate and crop covering a point, with its fate', async () => {
    const { trace } = await fixtureInput();
    const [x, y] = [30, 20];
    const a = queryRegion(trace, { kind: 'point', x, y });
    const inside = (b: readonly number[]): boolean => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
    expect(a.hits.pnet.map((h) => h.ref!.id).sort((p, q) => p - q)).toEqual(
      trace.pnet.candidates.filter((c) => inside(c.box)).map((c) => c.id),
    );
    for (const h of a.hits.rnet) {
      const c = trace.rnet.inputs[h.ref!.id];
      expect(h.fate).toBe(!c.passed ? 'rejected' : c.nms?.kept ? 'kept' : 'suppressed');
      expect(h.why).toContain(fmt.score(c.score));
    }
  });

  it('says when no window fits: a region far below the min face size', async () => {
    const { trace } = await fixtureInput();
    const a = queryRegion(trace, { kind: 'box', box: [2, 2, 5, 5] });
    expect(a.verdict.at).toBe('no-window');
    expect(a.summary).toMatch(/no P-Net window fits/);
  });
});

if (!sharedAvailable) warnSharedMissing('point queries on the dev images');
describe.skipIf(!sharedAvailable)('queryRegion on real detections', () => {
  let mf150: StageTrace;
  let mf20: StageTrace;
  beforeAll(async () => {
    [mf150, mf20] = await Promise.all([
      realInput('multiface.jpg', { minFaceSize: 150 }).then((i) => i.trace),
      realInput('multiface.jpg').then((i) => i.trace),
    ]);
  });

  it('finds the face at [622, 198, 73, 99] with min face 150 lost at R-Net, with its best crop score', () => {
    const region = xyxy([622, 198, 73, 99]);
    const a = queryRegion(mf150, { kind: 'box', box: region });
    // Independently: the R-Net inputs over the region all scored <= 0.7; the best of them decides.
    const over = mf150.rnet.inputs.filter((c) => iou(c.box, region) >= COVER_IOU);
    expect(over.length).toBeGreaterThan(0);
    expect(over.every((c) => !c.passed)).toBe(true);
    const best = over.reduce((b, c) => (c.score > b.score ? c : b));
    expect(a.verdict).toEqual({ at: 'rnet-threshold', ref: { stage: 'rnet', id: best.id }, score: best.score });
    expect(a.summary).toContain('R-Net');
    expect(a.summary).toContain(fmt.score(best.score));
    expect(a.notes.join(' ')).toMatch(/smaller than the min face size \(150 px\)/);
    // With the default min face size the same face is found.
    expect(queryRegion(mf20, { kind: 'box', box: region }).verdict.at).toBe('face');
  });

  it('finds every face of multiface.jpg from its own box', () => {
    mf20.faces.forEach((f, k) => {
      expect(queryRegion(mf20, { kind: 'box', box: xyxy(f.box) }).verdict).toMatchObject({ at: 'face', face: k });
    });
  });

  it('names the best P-Net window when nothing passed: a background region', () => {
    const region: Box = [0, 560, 60, 620];
    const a = queryRegion(mf20, { kind: 'box', box: region });
    const best = bestWindow(mf20, region);
    if (a.verdict.at === 'pnet-threshold') {
      expect(a.verdict.score).toBe(best.p);
      expect(a.verdict.level).toBe(best.level);
      expect(a.summary).toContain(fmt.score(best.p));
    } else {
      // Some candidate covered it: then the best window passed the threshold.
      expect(best.p).toBeGreaterThanOrEqual(0.6);
    }
    expect(a.hits['pnet-cell'][0].score).toBe(best.p);
  });
});
