import type { StageTrace } from '@mtcnn/core';
import { fmt } from '../model.js';
import type { StageId } from '../renderers/strip.js';
import type { Lineage, NodeRef } from './lineage.js';

/**
 * A lineage as the steps a student or a debugger reads, one line each, with the ids as links:
 * P-Net window → per-level NMS → across levels → regressed and squared → R-Net → O-Net → face.
 * Used by the journey strip and by the downloaded explanation (same words in both).
 */

/** A piece of a step's text: plain, or a link to a box (opens its panel with it selected). */
export type Part = string | { ref: NodeRef; text: string };

export interface JourneyStep {
  key: 'pnet' | 'scale-nms' | 'cross-nms' | 'regress' | 'rnet' | 'onet' | 'face';
  /** The panel that shows this step. */
  panel: StageId;
  /** The box this step is about (selected when the step is clicked). */
  ref: NodeRef;
  title: string;
  parts: Part[];
  status: 'pass' | 'fail';
}

const link = (ref: NodeRef, text: string): Part => ({ ref, text });

export function journeySteps(trace: StageTrace, lineage: Lineage): JourneyStep[] {
  const o = trace.options;
  const { pnet } = lineage;
  const level = trace.pyramid[pnet.level];
  const pref: NodeRef = { stage: 'pnet', id: pnet.id };
  const steps: JourneyStep[] = [
    {
      key: 'pnet',
      panel: 'pnet',
      ref: pref,
      title: 'P-Net window',
      parts: [
        link(pref, `candidate #${pnet.id}`),
        `: level L${pnet.level} (×${fmt.scale(level?.scale ?? NaN)}), cell ` +
          `(${pnet.cell[0]}, ${pnet.cell[1]}), P ${fmt.score(pnet.score)} ≥ ${o.thresholds[0]}`,
      ],
      status: 'pass',
    },
  ];
  const other = (id: number): NodeRef => ({ stage: 'pnet', id });
  /** "suppressed by #n (`where`P ours vs its): IoU x > t" for a P-Net NMS round. */
  const suppressedBy = (by: number, overlap: number, threshold: number, where: string): Part[] => {
    const winner = trace.pnet.candidates[by];
    const scores = scorePair(pnet.score, winner?.score, pnet.logit, winner?.logit);
    return [
      'suppressed by ',
      link(other(by), `#${by}`),
      ` (${where}P ${scores}): IoU ${overlap.toFixed(3)} > ${threshold}`,
    ];
  };
  const s = pnet.scaleNms;
  steps.push({
    key: 'scale-nms',
    panel: 'nms',
    ref: pref,
    title: `NMS in L${pnet.level}`,
    parts: s.kept
      ? ['kept: no better box of its level overlaps it by IoU > ', String(o.nmsThresholds[0])]
      : suppressedBy(s.by!, s.overlap!, o.nmsThresholds[0], ''),
    status: s.kept ? 'pass' : 'fail',
  });
  if (!s.kept) return steps;
  const c = pnet.crossNms;
  if (c) {
    steps.push({
      key: 'cross-nms',
      panel: 'nms',
      ref: pref,
      title: 'NMS across levels',
      parts: c.kept
        ? ['kept: no better box of any level overlaps it by IoU > ', String(o.nmsThresholds[1])]
        : suppressedBy(c.by!, c.overlap!, o.nmsThresholds[1], `L${trace.pnet.candidates[c.by!]?.level}, `),
      status: c.kept ? 'pass' : 'fail',
    });
    if (!c.kept) return steps;
  }
  if (pnet.squared) {
    steps.push({
      key: 'regress',
      panel: 'nms',
      ref: pref,
      title: 'Regressed, squared',
      parts: [`window ${fmt.box(pnet.box)} → regressed ${fmt.box(pnet.regressed)} → squared ${fmt.box(pnet.squared)}`],
      status: 'pass',
    });
  }
  const r = lineage.rnet;
  if (!r) return steps;
  const rref: NodeRef = { stage: 'rnet', id: r.id };
  steps.push({
    key: 'rnet',
    panel: 'rnet',
    ref: rref,
    title: 'R-Net 24×24',
    parts: cropParts(trace, 'rnet', r.id, o.thresholds[1], o.nmsThresholds[2], 'IoU'),
    status: r.passed && r.nms?.kept !== false ? 'pass' : 'fail',
  });
  const on = lineage.onet;
  if (!on) return steps;
  const oref: NodeRef = { stage: 'onet', id: on.id };
  steps.push({
    key: 'onet',
    panel: 'onet',
    ref: oref,
    title: 'O-Net 48×48',
    parts: cropParts(trace, 'onet', on.id, o.thresholds[2], o.nmsThresholds[3], 'overlap / smaller box'),
    status: on.passed && on.nms?.kept !== false ? 'pass' : 'fail',
  });
  if (lineage.face === undefined) return steps;
  const f = trace.faces[lineage.face];
  steps.push({
    key: 'face',
    panel: 'onet',
    ref: { stage: 'face', id: lineage.face },
    title: 'Final face',
    parts: [
      link({ stage: 'face', id: lineage.face }, `face ${lineage.face + 1} of ${trace.faces.length}`),
      ` · confidence ${fmt.score(f.confidence)} · box ${fmt.box(f.box)} (${o.boxFormat})`,
    ],
    status: 'pass',
  });
  return steps;
}

/** Two scores with the digits that tell them apart; a tie in float32 says so, with the logits behind it. */
function scorePair(a: number, b: number | undefined, la?: number, lb?: number): string {
  if (b === undefined) return fmt.score(a);
  const [x, y] = fmt.scores(a, b);
  if (a < b) return `${x} < ${y}`;
  if (a > b) return `${x} vs ${y}`;
  const logits = Number.isFinite(la) && Number.isFinite(lb) ? ` (logits ${la!.toFixed(2)} vs ${lb!.toFixed(2)})` : '';
  return `${x} = ${y}, a tie in float32${logits}: the box taken first wins`;
}

function cropParts(
  trace: StageTrace,
  stage: 'rnet' | 'onet',
  id: number,
  thr: number,
  nmsThr: number,
  overlapName: string,
): Part[] {
  const list = trace[stage].inputs;
  const c = list[id];
  const ref: NodeRef = { stage, id };
  const head: Part[] = [link(ref, `crop #${id}`), `: score ${fmt.score(c.score)}`];
  if (!c.passed) return [...head, ` ≤ ${thr}: rejected`];
  if (c.nms && !c.nms.kept) {
    const by = list[c.nms.by!];
    return [
      ...head,
      ` > ${thr}, then suppressed by `,
      link({ stage, id: by.id }, `#${by.id}`),
      ` ` +
        `(score ${scorePair(c.score, by.score, c.logit, by.logit)}): ${overlapName} ${c.nms.overlap!.toFixed(3)} ` +
        `> ${nmsThr}`,
    ];
  }
  return [...head, ` > ${thr}, kept by NMS`];
}

/** The journey as plain text (the downloaded explanation). */
export function journeyText(trace: StageTrace, lineage: Lineage): string {
  return journeySteps(trace, lineage)
    .map((s, i) => `${i + 1}. ${s.title}: ${s.parts.map((p) => (typeof p === 'string' ? p : p.text)).join('')}`)
    .join('\n');
}

/** A one-line verdict for a lineage: where it ended. */
export function lineageVerdict(trace: StageTrace, lineage: Lineage): string {
  const e = lineage.end;
  const o = trace.options;
  switch (e.at) {
    case 'face':
      return `Detected: face ${e.index + 1} (confidence ${fmt.score(trace.faces[e.index].confidence)}).`;
    case 'pnet-scale-nms':
      return (
        `Lost in P-Net's NMS on level L${lineage.pnet.level}: suppressed by ` +
        `#${e.by} (IoU ${e.overlap.toFixed(3)} > ${o.nmsThresholds[0]}).`
      );
    case 'pnet-cross-nms':
      return (
        `Lost in P-Net's NMS across levels: suppressed by #${e.by} ` +
        `(IoU ${e.overlap.toFixed(3)} > ${o.nmsThresholds[1]}).`
      );
    case 'rnet-threshold':
      return `Lost at R-Net: score ${fmt.score(e.score)} ≤ ${o.thresholds[1]}.`;
    case 'rnet-nms':
      return `Lost in R-Net's NMS: suppressed by crop #${e.by} (IoU ${e.overlap.toFixed(3)} > ${o.nmsThresholds[2]}).`;
    case 'onet-threshold':
      return `Lost at O-Net: score ${fmt.score(e.score)} ≤ ${o.thresholds[2]}.`;
    case 'onet-nms':
      return (
        `Lost in O-Net's NMS: suppressed by crop #${e.by} ` +
        `(overlap ${e.overlap.toFixed(3)} > ${o.nmsThresholds[3]}, over the smaller box).`
      );
  }
}
