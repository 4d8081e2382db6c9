import type { NmsDecision, PNetCandidateTrace } from '@mtcnn/core';
import { COLORS, levelColor } from '../colors.js';
import type { NodeRef } from '../explain/lineage.js';
import { overlapParts } from '../explain/overlap.js';
import { keyboardList, type ClickMemo } from '../interact.js';
import { bestFacePath, fmt, type VizInput } from '../model.js';
import { boxRect, chips, imageView, legend, panelHeader, type Any, type Container } from '../view.js';
import { scoreOpacity } from './candidates.js';

export interface NmsState extends ClickMemo {
  /**
   * 'scale': NMS inside each level; 'cross': across levels, on each level's survivors; 'regress': what happens to the
   * survivors next.
   */
  round?: 'scale' | 'cross' | 'regress';
  /** For the per-scale round: one level or all (default: the level of the best face's candidate). */
  level?: number | 'all';
  /** Selected candidate id. */
  selected?: number;
  /** Kept for compatibility: the 'regress' round shows the squared boxes. */
  squared?: boolean;
}

export const NMS_TITLE = '4 · Non-maximum suppression, then regression: one box per face';
export const NMS_CAPTION =
  'Overlapping candidates are thinned out: the best-scoring box stays and suppresses ' +
  'every box overlapping it by more than the IoU threshold. Only then does each ' +
  'survivor move by its offsets and become a square, the shape R-Net takes.';

/** The P-Net NMS rounds (per level, across levels) and the regression and squaring after them. */
export function nmsRenderer(sel: Container, input: VizInput, state: NmsState = {}): void {
  const { trace } = input;
  sel.html('');
  panelHeader(sel, NMS_TITLE, NMS_CAPTION);
  if (state.squared && !state.round) state.round = 'regress';
  state.round ??= 'scale';
  state.level ??= input.link?.lineage?.pnet.level ?? bestFacePath(trace).pnet?.level ?? 'all';
  if (state.level !== 'all' && !trace.pyramid[state.level]) state.level = 'all';
  const o = trace.options;
  const [scaleIou, crossIou] = o.nmsThresholds;
  const all = trace.pnet.candidates;
  const byId = new Map(all.map((c) => [c.id, c]));
  const round = state.round;
  const decision = (c: PNetCandidateTrace): NmsDecision | undefined =>
    round === 'scale' ? c.scaleNms : round === 'cross' ? c.crossNms : { kept: true };
  const pool = all.filter((c) =>
    round === 'scale'
      ? state.level === 'all' || c.level === state.level
      : round === 'cross'
        ? c.scaleNms.kept
        : c.scaleNms.kept && c.crossNms?.kept,
  );
  const kept = pool.filter((c) => decision(c)?.kept);
  const suppressed = pool.filter((c) => !decision(c)?.kept);
  const rerender = (): void => nmsRenderer(sel, input, state);
  const pick = (ref: NodeRef | undefined): void => {
    if (ref && input.link) {
      input.link.pick(ref);
      return;
    }
    state.selected = ref?.id;
    rerender();
  };
  const scaleKept = all.filter((c) => c.scaleNms.kept).length;
  const crossKept = all.filter((c) => c.crossNms?.kept).length;

  const controls = sel.append('div').attr('class', 'controls');
  chips(
    controls,
    'Step',
    [
      {
        value: 'scale' as const,
        text: `a · per level: ${all.length} → ${scaleKept}`,
        title: `IoU > ${scaleIou} suppressed, inside each level`,
      },
      {
        value: 'cross' as const,
        text: `b · across levels: ${scaleKept} → ${crossKept}`,
        title: `IoU > ${crossIou} suppressed, all levels together`,
      },
      {
        value: 'regress' as const,
        text: `c · regress + square: ${crossKept}`,
        title: 'The survivors move by their offsets, then become squares: the boxes R-Net will see',
      },
    ],
    round,
    (v) => {
      state.round = v;
      rerender();
    },
  );
  if (round === 'scale') {
    chips(
      controls,
      'Level',
      [
        { value: 'all' as const, text: 'All' },
        ...trace.pyramid.map((l) => ({
          value: l.index,
          text: `L${l.index} ${l.candidates}→${l.afterNms}`,
          color: levelColor(l.index),
        })),
      ],
      state.level,
      (v) => {
        state.level = v;
        rerender();
      },
    );
  }
  legend(
    controls,
    round === 'regress'
      ? [
          { color: COLORS.kernel, text: 'window (as NMS compared it)', dash: true },
          { color: COLORS.regressed, text: 'regressed (window + offsets)' },
          { color: COLORS.squared, text: 'squared: R-Net input' },
          { color: COLORS.query, text: 'your question', dash: true },
        ]
      : [
          { color: COLORS.kept, text: 'kept (more opaque = higher P)' },
          { color: COLORS.suppressed, text: 'suppressed', dash: true },
          { color: COLORS.lineage, text: 'the selected box' },
          { color: COLORS.intersection, text: 'intersection (IoU = it ÷ union)' },
          { color: COLORS.query, text: 'your question', dash: true },
        ],
  );

  const views = sel.append('div').attr('class', 'views');
  const iou = round === 'scale' ? scaleIou : crossIou;
  const iv = imageView(
    views,
    input,
    'image-view',
    round === 'regress'
      ? `${pool.length} survivors: window → regressed → squared.`
      : `${pool.length} boxes in, ${kept.length} kept, ${suppressed.length} suppressed (IoU > ${iou}).`,
    {
      hint:
        round === 'regress'
          ? 'Click one to replay its moves.'
          : 'Click a box (its edge, for nested ones; again to cycle) to ' +
            'see its verdict; Tab to the image and use the arrow keys.',
      pickables: () => pool.map((c) => ({ ref: { stage: 'pnet', id: c.id }, box: c.box })),
      memo: state,
      onPick: pick,
      focusBox: () => pool.find((c) => c.id === state.selected)?.box,
    },
  );
  const selected = pool.find((c) => c.id === state.selected);
  // With a selection, what is not involved fades: the selected box, who suppressed it, whom it suppressed.
  const involved = new Set<number>();
  if (selected) {
    involved.add(selected.id);
    const d = decision(selected);
    if (d && !d.kept && d.by !== undefined) involved.add(d.by);
    for (const v of pool) if (decision(v)?.by === selected.id) involved.add(v.id);
  }
  const fade = (c: PNetCandidateTrace): number => (selected && !involved.has(c.id) ? 0.25 : 1);
  const thr = o.thresholds[0];
  if (round === 'regress') {
    const g = iv.layer.append('g').attr('class', 'regress');
    for (const c of pool) {
      const a = fade(c);
      boxRect(g, c.box, 'window', COLORS.kernel, 1, '3 2')
        .attr('data-id', c.id)
        .attr('stroke-opacity', 0.6 * a);
      boxRect(g, c.regressed, 'regressed', COLORS.regressed, 1.2)
        .attr('data-id', c.id)
        .attr('stroke-opacity', 0.8 * a);
      if (c.squared)
        boxRect(g, c.squared, 'squared', COLORS.squared, 1.5).attr('data-id', c.id).attr('stroke-opacity', a);
    }
  } else {
    const sg = iv.layer.append('g').attr('class', 'suppressed');
    for (const c of suppressed)
      boxRect(sg, c.box, 'box suppressed', COLORS.suppressed, 1, '3 2')
        .attr('data-id', c.id)
        .attr('stroke-opacity', 0.8 * scoreOpacity(c.score, thr) * fade(c))
        .classed('dim', fade(c) < 1);
    const kg = iv.layer.append('g').attr('class', 'kept');
    for (const c of kept)
      boxRect(kg, c.box, 'box kept', COLORS.kept, 1.5)
        .attr('data-id', c.id)
        .attr('stroke-opacity', scoreOpacity(c.score, thr) * fade(c))
        .classed('dim', fade(c) < 1);
  }
  const focus = iv.layer.append('g').attr('class', 'focus');
  const info = sel.append('div').attr('class', 'details').attr('aria-live', 'polite');
  const order = [...pool].sort((a, b) => b.score - a.score || a.id - b.id);
  keyboardList(
    iv.svg,
    order.map((c) => ({ stage: 'pnet', id: c.id })),
    state.selected,
    pick,
    'NMS boxes: ← → or ↑ ↓ pick the previous or next box by score',
  );

  if (!selected) {
    const p = info.append('p');
    if (round === 'scale')
      p.text(
        `Inside each level, boxes are taken best score first; a box overlapping a kept one by IoU ` +
          `> ${scaleIou} is suppressed. Select a box (click it, or focus the image and use the arrow keys).`,
      );
    else if (round === 'cross') {
      p.text(
        `The survivors of all levels together, again best first, IoU > ${crossIou} ` +
          `suppressed. The ${crossKept} kept go on to be regressed and squared.`,
      );
      info
        .append('p')
        .attr('class', 'surprise')
        .text(crossLevelNote(o.scaleFactor, crossIou, scaleKept - crossKept));
    } else p.text(regressNote());
    return;
  }
  if (round === 'regress') {
    drawRegress(focus, selected, info);
    return;
  }
  const d = decision(selected)!;
  const line = info.append('p').attr('class', 'verdict');
  if (!d.kept && d.by !== undefined) {
    const by = byId.get(d.by)!;
    const parts = overlapParts(selected.box, by.box);
    drawOverlap(focus, selected.box, by.box, parts.intersection);
    boxRect(focus, by.box, 'suppressor', COLORS.kept, 4);
    boxRect(focus, selected.box, 'victim', COLORS.suppressed, 4, '6 3');
    const [ps, pb] = fmt.scores(selected.score, by.score);
    line.text(
      `Box #${selected.id} (L${selected.level}, P ${ps}) was suppressed by box ` +
        `#${by.id} (L${by.level}, P ${pb}): IoU ${d.overlap!.toFixed(3)} > ${iou}.`,
    );
    info
      .append('p')
      .attr('class', 'iou-numbers')
      .text(
        `IoU = intersection ÷ union = ${fmt.px(parts.interArea)} px² ÷ (${fmt.px(parts.areaA)} ` +
          `+ ${fmt.px(parts.areaB)} − ${fmt.px(parts.interArea)}) px² = ${parts.value.toFixed(3)}` +
          ` (boxes ${fmt.box(selected.box)} and ${fmt.box(by.box)}; the shaded part is the intersection).`,
      );
  } else {
    const victims = pool.filter((v) => decision(v)?.by === selected.id);
    boxRect(focus, selected.box, 'suppressor', COLORS.kept, 4);
    for (const v of victims) boxRect(focus, v.box, 'victim', COLORS.suppressed, 2, '6 3');
    line.text(
      `Box #${selected.id} (L${selected.level}, P ${fmt.score(selected.score)}) was kept` +
        (victims.length
          ? ` and suppressed ${victims.length} box${victims.length === 1 ? '' : 'es'}`
          : ': no better box overlapped it') +
        '.',
    );
    if (victims.length > 0) {
      const list = info.append('p').attr('class', 'victims');
      list.append('span').text('It suppressed: ');
      victims.slice(0, 30).forEach((v, i) => {
        if (i > 0) list.append('span').text(', ');
        list
          .append('button')
          .attr('type', 'button')
          .attr('class', 'ref-link')
          .text(`#${v.id} (IoU ${decision(v)!.overlap!.toFixed(2)})`)
          .on('click', () => pick({ stage: 'pnet', id: v.id }));
      });
      if (victims.length > 30) list.append('span').text(` and ${victims.length - 30} more`);
    }
  }
  if (round === 'cross')
    info
      .append('p')
      .attr('class', 'surprise')
      .text(crossLevelNote(o.scaleFactor, crossIou, scaleKept - crossKept));
}

/** Shades the intersection of two boxes over their union. */
function drawOverlap(g: Any, a: readonly number[], b: readonly number[], inter: readonly number[]): void {
  const union = g.append('g').attr('class', 'union');
  for (const box of [a, b]) {
    union
      .append('rect')
      .attr('x', box[0])
      .attr('y', box[1])
      .attr('width', box[2] - box[0])
      .attr('height', box[3] - box[1])
      .attr('fill', COLORS.union)
      .attr('fill-opacity', 0.18);
  }
  if (inter[2] > inter[0] && inter[3] > inter[1])
    g.append('rect')
      .attr('class', 'intersection')
      .attr('x', inter[0])
      .attr('y', inter[1])
      .attr('width', inter[2] - inter[0])
      .attr('height', inter[3] - inter[1])
      .attr('fill', COLORS.intersection)
      .attr('fill-opacity', 0.5)
      .attr('stroke', COLORS.intersection)
      .attr('stroke-width', 1)
      .attr('vector-effect', 'non-scaling-stroke');
}

/** Window -> regressed -> squared for one survivor, with a moving box that replays the two steps. */
function drawRegress(g: Any, c: PNetCandidateTrace, info: Container): void {
  boxRect(g, c.box, 'focus-window', COLORS.kernel, 3, '5 3');
  boxRect(g, c.regressed, 'focus-regressed', COLORS.regressed, 3);
  if (c.squared) boxRect(g, c.squared, 'focus-squared', COLORS.squared, 3);
  const mover = boxRect(g, c.box, 'moving', COLORS.lineage, 4);
  const place = (t: { attr(name: string, value: number): unknown }, b: readonly number[]): void => {
    t.attr('x', b[0]);
    t.attr('y', b[1]);
    t.attr('width', b[2] - b[0]);
    t.attr('height', b[3] - b[1]);
  };
  // Two steps, as the core applies them: offsets, then square (no animation where motion is unwelcome).
  const reduce = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  if (c.squared && !reduce && typeof mover.transition === 'function') {
    const squared = c.squared;
    const first = mover.transition().delay(300).duration(900);
    place(first, c.regressed);
    const second = first.transition().delay(400).duration(900);
    place(second, squared);
  } else if (c.squared) place(mover, c.squared);
  const [x1, y1, x2, y2] = c.box;
  const w = x2 - x1;
  const h = y2 - y1;
  const [d1, d2, d3, d4] = c.offsets;
  const kv = (k: string, v: string): void => {
    const d = info.append('div').attr('class', 'kv');
    d.append('span').attr('class', 'k').text(k);
    d.append('span').attr('class', 'v').text(v);
  };
  kv('window', `#${c.id}: ${fmt.box(c.box)}, ${fmt.px(w)} × ${fmt.px(h)} px (the box NMS compared)`);
  kv(
    '1 · regress',
    `x1 + dx1·w = ${fmt.px(x1)} + ${d1.toFixed(3)}·${fmt.px(w)}, y1 ` +
      `+ dy1·h = ${fmt.px(y1)} + ${d2.toFixed(3)}·${fmt.px(h)}, ` +
      `x2 + dx2·w = ${fmt.px(x2)} + ${d3.toFixed(3)}·${fmt.px(w)}, y2 + dy2·h ` +
      `= ${fmt.px(y2)} + ${d4.toFixed(3)}·${fmt.px(h)} → ${fmt.box(c.regressed)}`,
  );
  if (c.squared) {
    const rw = c.regressed[2] - c.regressed[0];
    const rh = c.regressed[3] - c.regressed[1];
    kv(
      '2 · square',
      `side = max(w, h) = max(${rw.toFixed(1)}, ${rh.toFixed(1)}) ` +
        `= ${Math.max(rw, rh).toFixed(1)}, same centre → ${fmt.box(c.squared)}: R-Net's input box`,
    );
  }
  info.append('p').attr('class', 'surprise').text(regressNote());
}

function regressNote(): string {
  return (
    'Why in this order: NMS compares the windows exactly as P-Net scored them; ' +
    'the offsets are applied only to the survivors (after NMS, before squaring), ' +
    'and the box is made square because R-Net takes a square 24×24 crop.'
  );
}

/**
 * Why the round across levels usually removes nothing: a window is 1 / factor times the size of
 * the next level's, so nested windows of adjacent levels overlap by at most factor² (IoU).
 */
export function crossLevelNote(factor: number, threshold: number, removed: number): string {
  const max = factor * factor;
  const head =
    `Windows of adjacent levels differ in size by 1/${factor} ≈ ${(1 / factor).toFixed(2)}×, so ` +
    `two of them overlap by at most ${factor}² ≈ ${max.toFixed(2)} IoU (one inside the other)`;
  if (max <= threshold)
    return (
      `${head}, below the ${threshold} threshold: this round cannot remove two windows of ` +
      `different levels${removed === 0 ? ', which is why it removed nothing here' : ''}.`
    );
  return (
    `${head}, above the ${threshold} threshold with this scale factor: this round ` +
    `can remove near-nested windows of adjacent levels (${removed} here).`
  );
}
