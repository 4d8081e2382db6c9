import { pointer } from 'd3';
import type { PNetCandidateTrace } from '@mtcnn/core';
import { regressPNet } from '@mtcnn/core/backend-kit';
import { COLORS, levelColor } from '../colors.js';
import { bestFacePath, fmt, type VizInput } from '../model.js';
import { boxRect, chips, imageView, legend, panelHeader, type Container } from '../view.js';

export interface CandidatesState {
  /** Level shown, or 'all'. */
  level?: number | 'all';
  show?: 'both' | 'kernel' | 'regressed';
  /** Focused candidate id; undefined = the one behind the best face, null = none. */
  focus?: number | null;
}

export const CANDIDATES_TITLE = '3 · Candidates: windows that look like a face';
export const CANDIDATES_CAPTION =
  'Every window with P(face) ≥ the P-Net threshold, mapped back to the image (dashed); P-Net also predicts how to shift its edges (solid, "regressed").';

/** P-Net's regressed box for a candidate: the trace's for survivors, else the core's `regressPNet` on its offsets. */
export function regressedBox(c: PNetCandidateTrace): [number, number, number, number] {
  return c.regressed ?? regressPNet(c.box, c.offsets);
}

/** Every P-Net candidate in the image: its window box and its regressed box, coloured by role. */
export function candidatesRenderer(sel: Container, input: VizInput, state: CandidatesState = {}): void {
  const { trace } = input;
  sel.html('');
  panelHeader(sel, CANDIDATES_TITLE, CANDIDATES_CAPTION);
  state.level ??= 'all';
  state.show ??= 'both';
  if (state.focus === undefined) state.focus = bestFacePath(trace).pnet?.id ?? null;
  const all = trace.pnet.candidates;
  const shown = all.filter((c) => state.level === 'all' || c.level === state.level).sort((a, b) => a.score - b.score);
  const rerender = (): void => candidatesRenderer(sel, input, state);

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
      state.focus = null;
      rerender();
    },
  );
  chips(
    controls,
    'Show',
    [
      { value: 'both' as const, text: 'Both' },
      { value: 'kernel' as const, text: 'Windows' },
      { value: 'regressed' as const, text: 'Regressed' },
    ],
    state.show,
    (v) => {
      state.show = v;
      rerender();
    },
  );
  legend(controls, [
    { color: COLORS.kernel, text: 'window ÷ scale', dash: true },
    { color: COLORS.regressed, text: 'after regression' },
  ]);

  const views = sel.append('div').attr('class', 'views');
  const iv = imageView(
    views,
    input,
    'image-view',
    `${shown.length} candidate${shown.length === 1 ? '' : 's'}; click one to see how its box moves.`,
  );
  const kernels = iv.layer.append('g').attr('class', 'kernels');
  const regs = iv.layer.append('g').attr('class', 'regressions');
  const alpha = shown.length > 200 ? 0.4 : 0.75;
  for (const c of shown) {
    if (state.show !== 'regressed')
      boxRect(kernels, c.box, 'kernel', COLORS.kernel, 1, '3 2').attr('data-id', c.id).attr('stroke-opacity', alpha);
    if (state.show !== 'kernel')
      boxRect(regs, regressedBox(c), 'regressed', COLORS.regressed, 1)
        .attr('data-id', c.id)
        .attr('stroke-opacity', alpha);
  }
  const focusLayer = iv.layer.append('g').attr('class', 'focus');
  const info = sel.append('div').attr('class', 'details').attr('aria-live', 'polite');

  const focus = (c: PNetCandidateTrace | undefined): void => {
    state.focus = c?.id ?? null;
    focusLayer.html('');
    info.html('');
    if (!c) {
      info
        .append('p')
        .text(
          `${all.length} windows scored ≥ ${trace.options.thresholds[0]} on ${trace.pyramid.length} levels. Click a box to follow one.`,
        );
      return;
    }
    const r = regressedBox(c);
    boxRect(focusLayer, c.box, 'focus-kernel', COLORS.kernel, 3, '5 3');
    boxRect(focusLayer, r, 'focus-regressed', COLORS.regressed, 3);
    focusLayer
      .append('line')
      .attr('x1', (c.box[0] + c.box[2]) / 2)
      .attr('y1', (c.box[1] + c.box[3]) / 2)
      .attr('x2', (r[0] + r[2]) / 2)
      .attr('y2', (r[1] + r[3]) / 2)
      .attr('stroke', COLORS.ink)
      .attr('stroke-width', 1.5)
      .attr('vector-effect', 'non-scaling-stroke');
    const l = trace.pyramid[c.level];
    const kv = (k: string, v: string): void => {
      const d = info.append('div').attr('class', 'kv');
      d.append('span').attr('class', 'k').text(k);
      d.append('span').attr('class', 'v').text(v);
    };
    kv(
      'candidate',
      `#${c.id} · level ${c.level} (×${fmt.scale(l.scale)}) · cell (${c.cell[0]}, ${c.cell[1]}) · P(face) ${fmt.score(c.score)}`,
    );
    kv('window', `${fmt.box(c.box)} in the image`);
    kv(
      'offsets',
      `dx1 ${c.offsets[0].toFixed(3)}, dy1 ${c.offsets[1].toFixed(3)}, dx2 ${c.offsets[2].toFixed(3)}, dy2 ${c.offsets[3].toFixed(3)} (× the window's width / height)`,
    );
    kv('regressed', fmt.box(r));
  };
  focus(shown.find((c) => c.id === state.focus));

  iv.svg.on('click', (event: MouseEvent) => {
    const [x, y] = pointer(event, iv.layer.node());
    const hit = shown.filter((c) => {
      const b = state.show === 'regressed' ? regressedBox(c) : c.box;
      return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
    });
    // The smallest box under the pointer (the most specific), best score on ties.
    hit.sort((a, b) => a.box[2] - a.box[0] - (b.box[2] - b.box[0]) || b.score - a.score);
    focus(hit[0]);
  });
}
