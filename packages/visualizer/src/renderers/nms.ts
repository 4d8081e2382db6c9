import { pointer } from 'd3';
import type { NmsDecision, PNetCandidateTrace } from '@mtcnn/core';
import { COLORS, levelColor } from '../colors.js';
import { bestFacePath, fmt, type VizInput } from '../model.js';
import { boxRect, chips, imageView, legend, panelHeader, type Container } from '../view.js';

export interface NmsState {
  /** 'scale': NMS inside each level; 'cross': across levels, on each level's survivors. */
  round?: 'scale' | 'cross';
  /** For the per-scale round: one level or all (default: the level of the best face's candidate). */
  level?: number | 'all';
  /** Selected candidate id. */
  selected?: number;
  /** Also draw the survivors' squared boxes (R-Net's input). */
  squared?: boolean;
}

export const NMS_TITLE = '4 · Non-maximum suppression: one box per face';
export const NMS_CAPTION =
  'Overlapping candidates are thinned out: the best-scoring box stays and suppresses every box overlapping it by more than the IoU threshold. Click a red box to see who suppressed it.';

/** The P-Net NMS rounds: per level then across levels, survivors vs suppressed, with who suppressed whom. */
export function nmsRenderer(sel: Container, input: VizInput, state: NmsState = {}): void {
  const { trace } = input;
  sel.html('');
  panelHeader(sel, NMS_TITLE, NMS_CAPTION);
  state.round ??= 'scale';
  state.level ??= bestFacePath(trace).pnet?.level ?? 'all';
  state.squared ??= false;
  const [scaleIou, crossIou] = trace.options.nmsThresholds;
  const all = trace.pnet.candidates;
  const byId = new Map(all.map((c) => [c.id, c]));
  const decision = (c: PNetCandidateTrace): NmsDecision | undefined =>
    state.round === 'scale' ? c.scaleNms : c.crossNms;
  const pool = all.filter((c) =>
    state.round === 'scale' ? state.level === 'all' || c.level === state.level : c.scaleNms.kept,
  );
  const kept = pool.filter((c) => decision(c)?.kept);
  const suppressed = pool.filter((c) => !decision(c)?.kept);
  const rerender = (): void => nmsRenderer(sel, input, state);
  const scaleKept = all.filter((c) => c.scaleNms.kept).length;
  const crossKept = all.filter((c) => c.crossNms?.kept).length;

  const controls = sel.append('div').attr('class', 'controls');
  chips(
    controls,
    'Round',
    [
      {
        value: 'scale' as const,
        text: `Per level: ${all.length} → ${scaleKept}`,
        title: `IoU > ${scaleIou} suppressed, inside each level`,
      },
      {
        value: 'cross' as const,
        text: `Across levels: ${scaleKept} → ${crossKept}`,
        title: `IoU > ${crossIou} suppressed, all levels together`,
      },
    ],
    state.round,
    (v) => {
      state.round = v;
      state.selected = undefined;
      rerender();
    },
  );
  if (state.round === 'scale') {
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
        state.selected = undefined;
        rerender();
      },
    );
  } else {
    chips(
      controls,
      'Survivors',
      [
        { value: 'plain' as const, text: 'As found' },
        { value: 'squared' as const, text: '+ regressed & squared', title: 'The boxes R-Net will see' },
      ],
      state.squared ? 'squared' : 'plain',
      (v) => {
        state.squared = v === 'squared';
        rerender();
      },
    );
  }
  legend(controls, [
    { color: COLORS.kept, text: 'kept' },
    { color: COLORS.suppressed, text: 'suppressed', dash: true },
    ...(state.round === 'cross' && state.squared ? [{ color: COLORS.squared, text: 'squared (R-Net input)' }] : []),
  ]);

  const views = sel.append('div').attr('class', 'views');
  const iou = state.round === 'scale' ? scaleIou : crossIou;
  const iv = imageView(
    views,
    input,
    'image-view',
    `${pool.length} boxes in, ${kept.length} kept, ${suppressed.length} suppressed (IoU > ${iou}).`,
  );
  const sg = iv.layer.append('g').attr('class', 'suppressed');
  for (const c of suppressed)
    boxRect(sg, c.box, 'box suppressed', COLORS.suppressed, 1, '3 2').attr('data-id', c.id).attr('stroke-opacity', 0.7);
  const kg = iv.layer.append('g').attr('class', 'kept');
  for (const c of kept) boxRect(kg, c.box, 'box kept', COLORS.kept, 1.5).attr('data-id', c.id);
  if (state.round === 'cross' && state.squared) {
    const qg = iv.layer.append('g').attr('class', 'squared');
    for (const c of kept) if (c.squared) boxRect(qg, c.squared, 'squared', COLORS.squared, 1.5).attr('data-id', c.id);
  }
  const focus = iv.layer.append('g').attr('class', 'focus');
  const info = sel.append('div').attr('class', 'details').attr('aria-live', 'polite');

  const select = (c: PNetCandidateTrace | undefined): void => {
    state.selected = c?.id;
    focus.html('');
    info.html('');
    if (!c) {
      info
        .append('p')
        .text(
          state.round === 'scale'
            ? `Inside each level, boxes are taken best score first; a box overlapping a kept one by IoU > ${scaleIou} is suppressed.`
            : `The survivors of all levels together, again best first, IoU > ${crossIou} suppressed. The ${crossKept} kept go on to R-Net.`,
        );
      return;
    }
    const d = decision(c)!;
    const p = info.append('p');
    if (!d.kept && d.by !== undefined) {
      const by = byId.get(d.by)!;
      boxRect(focus, by.box, 'suppressor', COLORS.kept, 4);
      boxRect(focus, c.box, 'victim', COLORS.suppressed, 4, '6 3');
      p.text(
        `Box #${c.id} (L${c.level}, P ${fmt.score(c.score)}) was suppressed by box #${by.id} (L${by.level}, P ${fmt.score(by.score)}): IoU ${d.overlap!.toFixed(3)} > ${iou}.`,
      );
    } else {
      const victims = pool.filter((v) => decision(v)?.by === c.id);
      boxRect(focus, c.box, 'suppressor', COLORS.kept, 4);
      for (const v of victims) boxRect(focus, v.box, 'victim', COLORS.suppressed, 2, '6 3');
      p.text(
        `Box #${c.id} (L${c.level}, P ${fmt.score(c.score)}) was kept and suppressed ${victims.length} box${victims.length === 1 ? '' : 'es'}.`,
      );
    }
  };
  select(pool.find((c) => c.id === state.selected));

  iv.svg.on('click', (event: MouseEvent) => {
    const [x, y] = pointer(event, iv.layer.node());
    const hit = pool.filter((c) => x >= c.box[0] && x <= c.box[2] && y >= c.box[1] && y <= c.box[3]);
    // Prefer suppressed boxes (the question is usually "why is this one gone?"), then the smallest.
    hit.sort(
      (a, b) =>
        Number(!!decision(b)?.kept === false) - Number(!!decision(a)?.kept === false) ||
        a.box[2] - a.box[0] - (b.box[2] - b.box[0]),
    );
    select(hit[0]);
  });
}
