import type { StageTrace } from '@mtcnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureInput } from '../fixture.test-util.js';
import { realInput, sharedAvailable, warnSharedMissing } from '../real-trace.test-util.js';
import { defaultFocus, faceSources, findWindow, lineageOf, rootOf, type NodeRef } from './lineage.js';

/** xywh -> xyxy, as the face's box is its O-Net input's regressed box. */
const xyxy = (b: readonly number[]): number[] => [b[0], b[1], b[0] + b[2], b[1] + b[3]];

/** Invariants that hold for every box of every trace: the chain follows the trace's own ids and verdicts. */
function checkLineages(trace: StageTrace): void {
  trace.faces.forEach((f, k) => {
    const l = lineageOf(trace, { stage: 'face', id: k })!;
    expect(l.end).toEqual({ at: 'face', index: k });
    expect(l.rnet!.source).toBe(l.pnet.id);
    expect(l.onet!.source).toBe(l.rnet!.id);
    expect(trace.faceSources[k]).toBe(l.onet!.id);
    xyxy(f.box).forEach((v, i) => {
      expect(v).toBeCloseTo(l.onet!.regressed![i], 3);
    });
    // Every box of the chain gives the same chain.
    for (const ref of [
      { stage: 'pnet', id: l.pnet.id },
      { stage: 'rnet', id: l.rnet!.id },
      { stage: 'onet', id: l.onet!.id },
    ] as NodeRef[]) {
      expect(lineageOf(trace, ref)).toEqual(l);
    }
  });
  for (const c of trace.pnet.candidates) {
    const l = lineageOf(trace, { stage: 'pnet', id: c.id })!;
    expect(l.pnet).toBe(c);
    if (!c.scaleNms.kept)
      expect(l.end).toEqual({ at: 'pnet-scale-nms', by: c.scaleNms.by, overlap: c.scaleNms.overlap });
    else if (!c.crossNms!.kept) expect(l.end.at).toBe('pnet-cross-nms');
    else expect(l.rnet!.source).toBe(c.id);
  }
  for (const r of trace.rnet.inputs) {
    const l = lineageOf(trace, { stage: 'rnet', id: r.id })!;
    expect(l.rnet).toBe(r);
    if (!r.passed) expect(l.end).toEqual({ at: 'rnet-threshold', score: r.score });
    else if (!r.nms!.kept) expect(l.end).toEqual({ at: 'rnet-nms', by: r.nms!.by, overlap: r.nms!.overlap });
    else expect(l.onet!.source).toBe(r.id);
  }
  for (const o of trace.onet.inputs) {
    const l = lineageOf(trace, { stage: 'onet', id: o.id })!;
    if (!o.passed) expect(l.end.at).toBe('onet-threshold');
    else if (!o.nms!.kept) expect(l.end.at).toBe('onet-nms');
    else expect(l.end.at).toBe('face');
  }
}

describe('lineageOf (fixture)', () => {
  it('follows every box through the trace ids and verdicts', async () => {
    const { trace } = await fixtureInput();
    checkLineages(trace);
  });

  it('matches faces to O-Net inputs by box when a trace has no faceSources (older reports)', async () => {
    const { trace } = await fixtureInput();
    const { faceSources: links, ...old } = trace;
    expect(faceSources(old as StageTrace)).toEqual(links);
  });

  it('answers undefined for an id that is not in the trace', async () => {
    const { trace } = await fixtureInput();
    expect(lineageOf(trace, { stage: 'rnet', id: 10_000 })).toBeUndefined();
    expect(rootOf(trace, { stage: 'face', id: 99 })).toBeUndefined();
  });
});

describe('defaultFocus', () => {
  it('is the most confident face, else the box that got furthest', async () => {
    const { trace } = await fixtureInput();
    const best = trace.faces.reduce((b, f, k) => (f.confidence > trace.faces[b].confidence ? k : b), 0);
    expect(defaultFocus(trace)).toEqual({ stage: 'face', id: best });
    const noFaces = { ...trace, faces: [], faceSources: [] };
    const topOnet = [...trace.onet.inputs].sort((a, b) => b.score - a.score)[0];
    expect(defaultFocus(noFaces)).toEqual({ stage: 'onet', id: topOnet.id });
    const noOnet = { ...noFaces, onet: { inputs: [] } };
    const topRnet = [...trace.rnet.inputs].sort((a, b) => b.score - a.score)[0];
    expect(defaultFocus(noOnet)).toEqual({ stage: 'rnet', id: topRnet.id });
    expect(defaultFocus({ ...noOnet, rnet: { inputs: [] }, pnet: { candidates: [] } })).toBeUndefined();
  });

  it('finds the same window in a trace made with other thresholds', async () => {
    const { trace } = await fixtureInput();
    const c = trace.pnet.candidates[3];
    const other = structuredClone(trace);
    other.pnet.candidates = other.pnet.candidates.slice(2).map((x, i) => ({ ...x, id: i }));
    expect(findWindow(other, c)!.id).toBe(1);
  });
});

if (!sharedAvailable) warnSharedMissing('lineages of the dev images');
describe.skipIf(!sharedAvailable)('lineageOf on real detections', () => {
  let multiface: StageTrace;
  let noFaces: StageTrace;
  beforeAll(async () => {
    [multiface, noFaces] = await Promise.all([
      realInput('multiface.jpg').then((i) => i.trace),
      realInput('no-faces.jpg').then((i) => i.trace),
    ]);
  });

  it('links every face of multiface.jpg to its O-Net, R-Net and P-Net boxes', () => {
    expect(multiface.faces.length).toBeGreaterThanOrEqual(5);
    checkLineages(multiface);
  });

  it('opens no-faces.jpg on its best R-Net crop, on a level that had candidates', () => {
    checkLineages(noFaces);
    expect(noFaces.faces).toEqual([]);
    const focus = defaultFocus(noFaces)!;
    expect(focus.stage).toBe('rnet');
    const best = Math.max(...noFaces.rnet.inputs.map((r) => r.score));
    expect(noFaces.rnet.inputs[focus.id].score).toBe(best);
    const root = rootOf(noFaces, focus)!;
    expect(noFaces.pyramid[root.level].candidates).toBeGreaterThan(0);
  });
});
