import type { CropTrace, NmsDecision, PNetCandidateTrace, StageTrace } from '@mtcnn/core';
import { sameBox } from './overlap.js';

/**
 * A face's journey: the chain of boxes one P-Net window became, stage by stage, followed through
 * the trace's own links (`source` ids, `faceSources`). Pure data in, data out: the journey strip,
 * the panels' highlights and the downloaded explanation all read it.
 */

/** A box at one stage: a P-Net candidate, an R-Net or O-Net input (crop), or a final face (index into `faces`). */
export type NodeRef =
  | { stage: 'pnet'; id: number }
  | { stage: 'rnet'; id: number }
  | { stage: 'onet'; id: number }
  | { stage: 'face'; id: number };

/** Where a lineage stops, and why. */
export type LineageEnd =
  | { at: 'pnet-scale-nms'; by: number; overlap: number }
  | { at: 'pnet-cross-nms'; by: number; overlap: number }
  | { at: 'rnet-threshold'; score: number }
  | { at: 'rnet-nms'; by: number; overlap: number }
  | { at: 'onet-threshold'; score: number }
  | { at: 'onet-nms'; by: number; overlap: number }
  | { at: 'face'; index: number };

export interface Lineage {
  pnet: PNetCandidateTrace;
  rnet?: CropTrace;
  onet?: CropTrace;
  /** Index into `trace.faces`. */
  face?: number;
  end: LineageEnd;
}

interface Links {
  rnetOf: Map<number, CropTrace>;
  onetOf: Map<number, CropTrace>;
  faceOf: Map<number, number>;
  sourceOfFace: number[];
}

const cache = new WeakMap<StageTrace, Links>();

/**
 * The O-Net input of each face. Traces from before `faceSources` (older reports) are matched by
 * box: a face's box is its O-Net input's regressed box.
 */
export function faceSources(trace: StageTrace): number[] {
  if (Array.isArray(trace.faceSources) && trace.faceSources.length === trace.faces.length) return trace.faceSources;
  const xyxy = trace.options.boxFormat === 'xyxy';
  return trace.faces.map((f) => {
    const b = xyxy ? f.box : [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]];
    const hit = trace.onet.inputs.find((c) => c.nms?.kept && c.regressed && sameBox(c.regressed, b));
    return hit ? hit.id : -1;
  });
}

function links(trace: StageTrace): Links {
  let l = cache.get(trace);
  if (!l) {
    const rnetOf = new Map(trace.rnet.inputs.map((c) => [c.source, c]));
    const onetOf = new Map(trace.onet.inputs.map((c) => [c.source, c]));
    const sourceOfFace = faceSources(trace);
    const faceOf = new Map(sourceOfFace.map((id, k) => [id, k]));
    l = { rnetOf, onetOf, faceOf, sourceOfFace };
    cache.set(trace, l);
  }
  return l;
}

/** The P-Net candidate a box at any stage started from. */
export function rootOf(trace: StageTrace, ref: NodeRef): PNetCandidateTrace | undefined {
  // Walk up the source links: face -> O-Net input -> R-Net input -> P-Net candidate.
  const order = ['face', 'onet', 'rnet', 'pnet'] as const;
  let id: number | undefined = ref.id;
  for (const stage of order.slice(order.indexOf(ref.stage))) {
    if (id === undefined || id < 0) return undefined;
    if (stage === 'pnet') return trace.pnet.candidates[id];
    id = stage === 'face' ? links(trace).sourceOfFace[id] : trace[stage].inputs[id]?.source;
  }
  return undefined;
}

function nmsEnd(at: 'rnet-nms' | 'onet-nms', d: NmsDecision): LineageEnd {
  return { at, by: d.by ?? -1, overlap: d.overlap ?? Number.NaN };
}

/** The whole chain through a box at any stage: its P-Net root down to where it stopped. */
export function lineageOf(trace: StageTrace, ref: NodeRef): Lineage | undefined {
  const pnet = rootOf(trace, ref);
  if (!pnet) return undefined;
  const l = links(trace);
  if (!pnet.scaleNms.kept)
    return { pnet, end: { at: 'pnet-scale-nms', by: pnet.scaleNms.by ?? -1, overlap: pnet.scaleNms.overlap ?? NaN } };
  if (pnet.crossNms && !pnet.crossNms.kept)
    return { pnet, end: { at: 'pnet-cross-nms', by: pnet.crossNms.by ?? -1, overlap: pnet.crossNms.overlap ?? NaN } };
  const rnet = l.rnetOf.get(pnet.id);
  if (!rnet) return undefined; // a survivor always reaches R-Net; a malformed trace does not
  if (!rnet.passed) return { pnet, rnet, end: { at: 'rnet-threshold', score: rnet.score } };
  if (rnet.nms && !rnet.nms.kept) return { pnet, rnet, end: nmsEnd('rnet-nms', rnet.nms) };
  const onet = l.onetOf.get(rnet.id);
  if (!onet) return undefined;
  if (!onet.passed) return { pnet, rnet, onet, end: { at: 'onet-threshold', score: onet.score } };
  if (onet.nms && !onet.nms.kept) return { pnet, rnet, onet, end: nmsEnd('onet-nms', onet.nms) };
  const face = l.faceOf.get(onet.id);
  if (face === undefined) return undefined;
  return { pnet, rnet, onet, face, end: { at: 'face', index: face } };
}

/** True if `ref` is one of the boxes of `lineage`. */
export function inLineage(lineage: Lineage | undefined, ref: NodeRef): boolean {
  if (!lineage) return false;
  switch (ref.stage) {
    case 'pnet':
      return lineage.pnet.id === ref.id;
    case 'rnet':
      return lineage.rnet?.id === ref.id;
    case 'onet':
      return lineage.onet?.id === ref.id;
    case 'face':
      return lineage.face === ref.id;
  }
}

/**
 * What the panels open on: the most confident final face; with no face, the box that got
 * furthest (best O-Net input, else best R-Net input, else best P-Net candidate). Undefined when
 * no window passed P-Net.
 */
export function defaultFocus(trace: StageTrace): NodeRef | undefined {
  if (trace.faces.length > 0) {
    let best = 0;
    trace.faces.forEach((f, k) => {
      if (f.confidence > trace.faces[best].confidence) best = k;
    });
    if (rootOf(trace, { stage: 'face', id: best })) return { stage: 'face', id: best };
  }
  const top = <T extends { score: number; id: number }>(list: readonly T[]): T | undefined =>
    list.reduce<T | undefined>((b, c) => (!b || c.score > b.score ? c : b), undefined);
  const o = top(trace.onet.inputs);
  if (o) return { stage: 'onet', id: o.id };
  const r = top(trace.rnet.inputs);
  if (r) return { stage: 'rnet', id: r.id };
  const p = top(trace.pnet.candidates);
  if (p) return { stage: 'pnet', id: p.id };
  return undefined;
}

/** The same P-Net window (level and cell) in another trace of the same image, e.g. after a slider moved. */
export function findWindow(trace: StageTrace, pnet: PNetCandidateTrace): PNetCandidateTrace | undefined {
  return trace.pnet.candidates.find(
    (c) => c.level === pnet.level && c.cell[0] === pnet.cell[0] && c.cell[1] === pnet.cell[1],
  );
}

/** The deepest box of a lineage, as a ref (what a link to "this box" opens). */
export function tipOf(lineage: Lineage): NodeRef {
  if (lineage.face !== undefined) return { stage: 'face', id: lineage.face };
  if (lineage.onet) return { stage: 'onet', id: lineage.onet.id };
  if (lineage.rnet) return { stage: 'rnet', id: lineage.rnet.id };
  return { stage: 'pnet', id: lineage.pnet.id };
}
