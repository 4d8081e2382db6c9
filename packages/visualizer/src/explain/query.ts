import type { Box, StageTrace } from '@mtcnn/core';
import { cellBox } from '@mtcnn/core/backend-kit';
import { fmt } from '../model.js';
import { lineageOf, type Lineage, type LineageEnd, type NodeRef } from './lineage.js';
import { lineageVerdict } from './journey.js';
import { contains, iou } from './overlap.js';

/**
 * "Why was this face not detected?": every box at every stage that covers a point or a region of
 * the image, with its fate and a one-line why, and one summary line naming the stage (and score)
 * that lost it. Pure: trace in, answer out. A box covers a point if it contains it, and a region
 * if their IoU is at least `COVER_IOU` (a face box is a match at `MATCH_IOU`).
 */
export const COVER_IOU = 0.3;
export const MATCH_IOU = 0.5;

export type Region = { kind: 'point'; x: number; y: number } | { kind: 'box'; box: Box };

export type HitStage = 'pnet-cell' | 'pnet' | 'rnet' | 'onet' | 'face';

export interface QueryHit {
  stage: HitStage;
  /** The box at its stage (undefined for P-Net windows below the threshold: they are no candidate). */
  ref?: NodeRef;
  box: Box;
  score: number;
  /** P-Net windows: level and cell. */
  level?: number;
  cell?: [number, number];
  /** How well it covers the region (IoU), or 1 for a point inside it. */
  cover: number;
  fate: 'below-threshold' | 'candidate' | 'suppressed' | 'rejected' | 'kept' | 'face';
  why: string;
}

export interface QueryAnswer {
  region: Region;
  /** One line: detected as face n, or the stage and score that lost it. */
  summary: string;
  /** Where it was lost (or 'face'), and the box and score that decided it. */
  verdict:
    | { at: 'face'; face: number; score: number }
    | { at: LineageEnd['at']; ref: NodeRef; score: number }
    | { at: 'pnet-threshold'; level: number; cell: [number, number]; score: number }
    | { at: 'no-window' | 'no-level' };
  /** Hits per stage, best first: P-Net windows (best per level), candidates, R-Net, O-Net, faces. */
  hits: Record<HitStage, QueryHit[]>;
  /** Context: sizes, levels, border. */
  notes: string[];
}

function regionBox(r: Region): Box {
  return r.kind === 'box' ? r.box : [r.x, r.y, r.x, r.y];
}

function coverOf(r: Region, box: readonly number[]): number {
  if (r.kind === 'point') return contains(box, r.x, r.y) ? 1 : 0;
  return iou(box, r.box);
}

const DEPTH: Record<LineageEnd['at'], number> = {
  'pnet-scale-nms': 1,
  'pnet-cross-nms': 2,
  'rnet-threshold': 3,
  'rnet-nms': 4,
  'onet-threshold': 5,
  'onet-nms': 6,
  face: 7,
};

/** The score that decided a lineage's end (the last stage's). */
function endScore(l: Lineage): number {
  return (l.onet ?? l.rnet ?? l.pnet).score;
}

export function queryRegion(trace: StageTrace, region: Region): QueryAnswer {
  const o = trace.options;
  const thr = o.thresholds;
  const cover = (b: readonly number[]): number => coverOf(region, b);
  const enough = (c: number): boolean => (region.kind === 'point' ? c > 0 : c >= COVER_IOU);
  const hits: Record<HitStage, QueryHit[]> = { 'pnet-cell': [], pnet: [], rnet: [], onet: [], face: [] };

  // P-Net: the best window over the region on each level, candidate or not (from the probability maps).
  const rb = regionBox(region);
  for (const l of trace.pyramid) {
    const s = Math.fround(l.scale);
    const x0 = Math.max(0, Math.floor((rb[0] * s - 12) / 2) - 1);
    const x1 = Math.min(l.mapWidth - 1, Math.ceil((rb[2] * s - 1) / 2) + 1);
    const y0 = Math.max(0, Math.floor((rb[1] * s - 12) / 2) - 1);
    const y1 = Math.min(l.mapHeight - 1, Math.ceil((rb[3] * s - 1) / 2) + 1);
    let best: QueryHit | undefined;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const box = cellBox(x, y, l.scale);
        const c = cover(box);
        if (!enough(c)) continue;
        const p = l.prob[y * l.mapWidth + x];
        if (!best || p > best.score) {
          const pass = Math.fround(p) >= Math.fround(thr[0]);
          best = {
            stage: 'pnet-cell',
            box,
            score: p,
            level: l.index,
            cell: [x, y],
            cover: c,
            fate: pass ? 'candidate' : 'below-threshold',
            why: pass
              ? `P ${fmt.score(p)} ≥ ${thr[0]}: a candidate`
              : `P ${fmt.score(p)} < ${thr[0]}: dropped, the best window over it on L${l.index}`,
          };
        }
      }
    }
    if (best) hits['pnet-cell'].push(best);
  }
  hits['pnet-cell'].sort((a, b) => b.score - a.score);

  // Every box of every stage that covers the region, with its fate.
  const lineages = new Map<number, Lineage>();
  const note = (ref: NodeRef): void => {
    const l = lineageOf(trace, ref);
    if (l) lineages.set(l.pnet.id, l);
  };
  for (const c of trace.pnet.candidates) {
    const cv = cover(c.box);
    if (!enough(cv)) continue;
    const ref: NodeRef = { stage: 'pnet', id: c.id };
    note(ref);
    const d = !c.scaleNms.kept ? c.scaleNms : c.crossNms && !c.crossNms.kept ? c.crossNms : undefined;
    hits.pnet.push({
      stage: 'pnet',
      ref,
      box: c.box,
      score: c.score,
      level: c.level,
      cell: c.cell,
      cover: cv,
      fate: d ? 'suppressed' : 'kept',
      why: d
        ? `suppressed ${d === c.scaleNms ? `in L${c.level}'s NMS` : 'across levels'} ` +
          `by #${d.by} (IoU ${d.overlap!.toFixed(3)})`
        : 'survived both NMS rounds: on to R-Net',
    });
  }
  for (const stage of ['rnet', 'onet'] as const) {
    const t = stage === 'rnet' ? thr[1] : thr[2];
    for (const c of trace[stage].inputs) {
      const cv = Math.max(cover(c.box), c.regressed ? cover(c.regressed) : 0);
      if (!enough(cv)) continue;
      const ref: NodeRef = { stage, id: c.id };
      note(ref);
      const fate = !c.passed ? 'rejected' : c.nms && !c.nms.kept ? 'suppressed' : 'kept';
      hits[stage].push({
        stage,
        ref,
        box: c.box,
        score: c.score,
        cover: cv,
        fate,
        why:
          fate === 'rejected'
            ? `score ${fmt.score(c.score)} ≤ ${t}: rejected`
            : fate === 'suppressed'
              ? `score ${fmt.score(c.score)} > ${t}, suppressed by #${c.nms!.by} (${c.nms!.overlap!.toFixed(3)})`
              : `score ${fmt.score(c.score)} > ${t}, kept`,
      });
    }
  }
  const faceBoxes = trace.faces.map((f) =>
    o.boxFormat === 'xyxy' ? f.box : ([f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]] as Box),
  );
  faceBoxes.forEach((b, k) => {
    const cv = cover(b);
    if (region.kind === 'box' ? cv < MATCH_IOU : cv === 0) return;
    hits.face.push({
      stage: 'face',
      ref: { stage: 'face', id: k },
      box: b,
      score: trace.faces[k].confidence,
      cover: cv,
      fate: 'face',
      why: `face ${k + 1}, confidence ${fmt.score(trace.faces[k].confidence)}`,
    });
  });
  for (const k of ['pnet', 'rnet', 'onet', 'face'] as const) hits[k].sort((a, b) => b.score - a.score);

  const notes = contextNotes(trace, region, hits);
  const answer = (summary: string, verdict: QueryAnswer['verdict']): QueryAnswer => ({
    region,
    summary,
    verdict,
    hits,
    notes,
  });

  if (hits.face.length > 0) {
    const f = hits.face.reduce((a, b) => (b.cover > a.cover ? b : a));
    const k = f.ref!.id;
    return answer(`Detected: face ${k + 1}, confidence ${fmt.score(f.score)}.`, {
      at: 'face',
      face: k,
      score: f.score,
    });
  }
  // The lineage over the region that got furthest; ties: the better score at that stage.
  const deepest = [...lineages.values()].sort(
    (a, b) => DEPTH[b.end.at] - DEPTH[a.end.at] || endScore(b) - endScore(a),
  )[0];
  if (deepest) {
    return answer(lostLine(trace, deepest), {
      at: deepest.end.at,
      ref: deepest.onet
        ? { stage: 'onet', id: deepest.onet.id }
        : deepest.rnet
          ? { stage: 'rnet', id: deepest.rnet.id }
          : { stage: 'pnet', id: deepest.pnet.id },
      score: endScore(deepest),
    });
  }
  const cell = hits['pnet-cell'][0];
  if (cell) {
    return answer(
      `Lost at P-Net: the best window over it scored P ${fmt.score(cell.score)} ` +
        `< ${thr[0]} (level L${cell.level}, cell (${cell.cell![0]}, ${cell.cell![1]})).`,
      { at: 'pnet-threshold', level: cell.level!, cell: cell.cell!, score: cell.score },
    );
  }
  if (trace.pyramid.length === 0)
    return answer(
      `Never looked at: the image's short side is below the min face ` +
        `size (${o.minFaceSize} px), so there is no pyramid level.`,
      { at: 'no-level' },
    );
  return answer(
    region.kind === 'box'
      ? `Never looked at: no P-Net window fits this region (${noFitReason(trace, region.box)}).`
      : 'Never looked at: no P-Net window covers this point.',
    { at: 'no-window' },
  );
}

/** The summary line for the lineage that got furthest. */
function lostLine(trace: StageTrace, l: Lineage): string {
  const o = trace.options;
  const e = l.end;
  switch (e.at) {
    case 'rnet-threshold':
      return (
        `Lost at R-Net: the best crop over it, #${l.rnet!.id} (from P-Net candidate ` +
        `#${l.pnet.id}), scored ${fmt.score(e.score)} ≤ ${o.thresholds[1]}.`
      );
    case 'onet-threshold':
      return (
        `Lost at O-Net: the best crop over it, #${l.onet!.id} (from R-Net crop ` +
        `#${l.rnet!.id}), scored ${fmt.score(e.score)} ≤ ${o.thresholds[2]}.`
      );
    case 'face':
      return (
        `Its best box became face ${e.index + 1}, which regression moved off ` +
        `this region (${fmt.box(l.onet!.regressed ?? l.onet!.box)}).`
      );
    default: {
      const by = byRef(l);
      const then = by ? lineageOf(trace, by) : undefined;
      const tail = then ? ` #${by!.id} itself: ${lineageVerdict(trace, then)}` : '';
      return `${lineageVerdict(trace, l)}${tail}`;
    }
  }
}

/** The box that suppressed a lineage's last box. */
function byRef(l: Lineage): NodeRef | undefined {
  const e = l.end;
  if (e.at === 'pnet-scale-nms' || e.at === 'pnet-cross-nms') return { stage: 'pnet', id: e.by };
  if (e.at === 'rnet-nms') return { stage: 'rnet', id: e.by };
  if (e.at === 'onet-nms') return { stage: 'onet', id: e.by };
  return undefined;
}

/** Window sides in image pixels: 12 / scale, from min face size (level 0) up. */
export function windowSides(trace: StageTrace): number[] {
  return trace.pyramid.map((l) => 12 / l.scale);
}

function noFitReason(trace: StageTrace, box: Box): string {
  const side = Math.sqrt(Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]));
  const sides = windowSides(trace);
  const min = sides[0];
  const max = sides[sides.length - 1];
  if (side < min)
    return (
      `it is about ${Math.round(side)} px, the smallest window is ${Math.round(min)} px (min face ` +
      `size ${trace.options.minFaceSize}); lower the min face size to about ${Math.max(12, Math.floor(side))}`
    );
  if (side > max) return `it is about ${Math.round(side)} px, the largest window is ${Math.round(max)} px`;
  return `it is about ${Math.round(side)} px; no window of the right size lines up with it`;
}

/** Sizes and levels: which level sees the region at about 12 px, and whether it is below the min face size. */
function contextNotes(trace: StageTrace, region: Region, hits: Record<HitStage, QueryHit[]>): string[] {
  const notes: string[] = [];
  if (region.kind !== 'box') return notes;
  const [x1, y1, x2, y2] = region.box;
  const h = y2 - y1;
  const w = x2 - x1;
  notes.push(`The region is ${Math.round(w)}×${Math.round(h)} px.`);
  const sides = windowSides(trace);
  if (sides.length > 0) {
    const k = sides.reduce((b, s, i) => (Math.abs(s - h) < Math.abs(sides[b] - h) ? i : b), 0);
    const l = trace.pyramid[k];
    notes.push(
      `P-Net's windows are 12 px on every level, i.e. ${sides.map((s) => Math.round(s)).join(', ')} ` +
        `px in the image; the level where this region is nearest to 12 px tall is L${k} ` +
        `(×${fmt.scale(l.scale)}: ${(h * l.scale).toFixed(1)} px).`,
    );
  }
  if (Math.max(w, h) < trace.options.minFaceSize)
    notes.push(
      `It is smaller than the min face size (${trace.options.minFaceSize} px): every ` +
        `window is larger than it, so even a window around it sees mostly background.`,
    );
  if (hits.pnet.length > 0 && hits.rnet.length === 0 && hits.pnet.every((c) => c.fate === 'suppressed'))
    notes.push('Every P-Net candidate over it was suppressed by a better box elsewhere.');
  return notes;
}
