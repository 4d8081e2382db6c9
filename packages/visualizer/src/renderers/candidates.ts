import type { PNetCandidateTrace } from '@mtcnn/core';
import { regressPNet } from '@mtcnn/core/backend-kit';
import { COLORS, levelColor } from '../colors.js';
import type { NodeRef } from '../explain/lineage.js';
import type { ClickMemo } from '../interact.js';
import { bestFacePath, fmt, logit, type VizInput } from '../model.js';
import { boxRect, chips, imageView, legend, panelHeader, type Container } from '../view.js';

export interface CandidatesState extends ClickMemo {
  /** Level shown, or 'all'. */
  level?: number | 'all';
  /** Windows only (what P-Net found), or also where its offsets will move them (applied after NMS). */
  show?: 'kernel' | 'both';
  /** Focused candidate id; undefined = the one behind the best face, null = none. */
  focus?: number | null;
}

export const CANDIDATES_TITLE = '3 · Candidates: windows that look like a face';
export const CANDIDATES_CAPTION =
  'Every window with P(face) ≥ the P-Net threshold, mapped back to the image. P-Net also predicts 4 ' +
  'offsets per window; they are applied after NMS (panel 4), so here the boxes are the raw windows.';

/** P-Net's regressed box for a candidate (the trace's, or the core's `regressPNet` on its offsets for older traces). */
export function regressedBox(c: PNetCandidateTrace): [number, number, number, number] {
  return c.regressed ?? regressPNet(c.box, c.offsets);
}

/**
 * Stroke opacity for a score: faint at the threshold, solid near 1, on the logit scale (P-Net's
 * scores crowd near 1, where a linear scale shows no difference).
 */
export function scoreOpacity(score: number, threshold: number): number {
  const lo = logit(Math.min(0.999, Math.max(0.001, threshold)));
  const hi = logit(0.9999);
  const t = (logit(Math.min(0.99999, Math.max(0.00001, score))) - lo) / (hi - lo);
  return 0.2 + 0.8 * Math.max(0, Math.min(1, t));
}

/** Every P-Net candidate in the image as its window; the focused one with its offsets and regressed box. */
export function candidatesRenderer(sel: Container, input: VizInput, state: CandidatesState = {}): void {
  const { trace } = input;
  sel.html('');
  panelHeader(sel, CANDIDATES_TITLE, CANDIDATES_CAPTION);
  state.level ??= 'all';
  state.show ??= 'kernel';
  if (state.focus === undefined) state.focus = input.link?.lineage?.pnet.id ?? bestFacePath(trace).pnet?.id ?? null;
  const thr = trace.options.thresholds[0];
  const all = trace.pnet.candidates;
  const shown = all.filter((c) => state.level === 'all' || c.level === state.level).sort((a, b) => a.score - b.score);
  const rerender = (): void => candidatesRenderer(sel, input, state);
  const pick = (ref: NodeRef | undefined): void => {
    if (ref && input.link) {
      input.link.pick(ref);
      return;
    }
    state.focus = ref?.id ?? null;
    rerender();
  };

  const controls = sel.append('div').attr('class', 'controls');
  chips(
    controls,
    'Level',
    [
      { value: 'all' as const, text: `All (${all.length})` },
      ...trace.pyramid.map((l) => ({
        value: l.index,
        text: `L${l.index} (${l.candidates})`,
        title: `scale ${l.scale}`,
        color: levelColor(l.index),
      })),
    ],
    state.level,
    (v) => {
      state.level = v;
      rerender();
    },
  );
  chips(
    controls,
    'Show',
    [
      { value: 'kernel' as const, text: 'Windows', title: 'What P-Net found' },
      { value: 'both' as const, text: '+ offsets preview', title: 'Where its offsets will move each box, after NMS' },
    ],
    state.show,
    (v) => {
      state.show = v;
      rerender();
    },
  );
  legend(controls, [
    { color: COLORS.kernel, text: 'window ÷ scale (more opaque = higher P)', dash: true },
    ...(state.show === 'both' ? [{ color: COLORS.regressed, text: 'after its offsets (applied after NMS)' }] : []),
    { color: COLORS.lineage, text: 'the selected journey' },
    { color: COLORS.query, text: 'your question', dash: true },
  ]);

  const views = sel.append('div').attr('class', 'views');
  const iv = imageView(views, input, 'image-view', `${shown.length} candidate${shown.length === 1 ? '' : 's'}.`, {
    hint: 'Click one to follow it; drag a box around a face to ask why.',
    pickables: () => shown.map((c) => ({ ref: { stage: 'pnet', id: c.id }, box: c.box })),
    memo: state,
    onPick: pick,
  });
  const kernels = iv.layer.append('g').attr('class', 'kernels');
  const regs = iv.layer.append('g').attr('class', 'regressions');
  const focused = state.focus ?? undefined;
  for (const c of shown) {
    const dim = focused !== undefined && c.id !== focused;
    boxRect(kernels, c.box, 'kernel', COLORS.kernel, 1, '3 2')
      .attr('data-id', c.id)
      .attr('stroke-opacity', scoreOpacity(c.score, thr) * (dim ? 0.5 : 1))
      .classed('dim', dim);
    if (state.show === 'both')
      boxRect(regs, regressedBox(c), 'regressed', COLORS.regressed, 1)
        .attr('data-id', c.id)
        .attr('stroke-opacity', 0.35);
  }
  const focusLayer = iv.layer.append('g').attr('class', 'focus');
  const info = sel.append('div').attr('class', 'details').attr('aria-live', 'polite');

  const c = all.find((x) => x.id === state.focus);
  if (!c) {
    const withAny = trace.pyramid.filter((l) => l.candidates > 0);
    info
      .append('p')
      .text(
        `${all.length} window${all.length === 1 ? '' : 's'} scored ` +
          `≥ ${thr} on ${withAny.length} of ${trace.pyramid.length} levels` +
          `${withAny.length > 0 ? ` (${withAny.map((l) => `L${l.index}: ${l.candidates}`).join(', ')})` : ''}. ` +
          `Click a box to follow one.`,
      );
    return;
  }
  const r = regressedBox(c);
  boxRect(focusLayer, c.box, 'focus-kernel', COLORS.lineage, 3, '5 3');
  boxRect(focusLayer, r, 'focus-regressed', COLORS.regressed, 2, '2 2').attr('stroke-opacity', 0.8);
  const l = trace.pyramid[c.level];
  const kv = (k: string, v: string): void => {
    const d = info.append('div').attr('class', 'kv');
    d.append('span').attr('class', 'k').text(k);
    d.append('span').attr('class', 'v').text(v);
  };
  kv(
    'candidate',
    `#${c.id} · level ${c.level} (×${fmt.scale(l.scale)}) · cell ` +
      `(${c.cell[0]}, ${c.cell[1]}) · P(face) ${fmt.scoreLong(c.score, c.logit)}`,
  );
  kv('window', `${fmt.box(c.box)} in the image`);
  kv(
    'offsets',
    `dx1 ${c.offsets[0].toFixed(3)}, dy1 ${c.offsets[1].toFixed(3)}, ` +
      `dx2 ${c.offsets[2].toFixed(3)}, dy2 ${c.offsets[3].toFixed(3)} (× the window's width / height)`,
  );
  kv(
    'next',
    c.scaleNms.kept
      ? c.crossNms?.kept
        ? `survives both NMS rounds; then regressed to ${fmt.box(r)} and squared (panel 4)`
        : `survives its level's NMS, suppressed across levels by #${c.crossNms?.by}`
      : `suppressed in its level's NMS by #${c.scaleNms.by} (IoU ${c.scaleNms.overlap!.toFixed(3)})`,
  );
}
