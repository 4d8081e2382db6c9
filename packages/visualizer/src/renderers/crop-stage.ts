import type { CropTrace, StageTrace } from '@mtcnn/core';
import { NETWORKS } from '@mtcnn/models';
import { COLORS } from '../colors.js';
import type { NodeRef } from '../explain/lineage.js';
import { iou } from '../explain/overlap.js';
import { leavesImage } from '../geometry.js';
import { keyboardList, type ClickMemo } from '../interact.js';
import { cropStatus, fmt, type CropStatus, type VizInput } from '../model.js';
import { boxRect, chips, imageView, legend, panelHeader, type Container, type G } from '../view.js';
import { cropGrid, STATUS_COLOR } from './crop-grid.js';
import { networkDiagram } from './network.js';

export interface CropStageState extends ClickMemo {
  filter?: 'all' | CropStatus;
  selected?: number;
  /** Show every crop instead of the first `limit`. */
  showAll?: boolean;
}

export interface CropStageConfig {
  stage: 'rnet' | 'onet';
  title: string;
  caption: string;
  size: number;
  zoom: number;
  cols: number;
  /** Index of this stage's score threshold in `options.thresholds`, and of its NMS in `options.nmsThresholds`. */
  thresholdIndex: 1 | 2;
  nmsIndex: 2 | 3;
  overlapName: string;
  /** What the image view draws for one crop (the shared part draws the box it saw). */
  drawOnImage: (layer: G, c: CropTrace, status: CropStatus, unit: number) => void;
  /** The legend of what `drawOnImage` draws. */
  legend: (trace: StageTrace) => Array<{ color: string; text: string; dash?: boolean; dot?: boolean }>;
  /** Extra lines for the selected crop's details. */
  describe: (c: CropTrace) => Array<[string, string]>;
  /** Things that surprise here, explained (e.g. near-duplicates that reach O-Net). */
  surprises?: (trace: StageTrace) => string[];
  /** Drawn above the crops (O-Net: the result, large). */
  before?: (sel: Container, input: VizInput, pick: (ref: NodeRef) => void) => void;
  limit: number;
}

/** What each border mode does to the part of a crop outside the image. */
export function borderNote(mode: StageTrace['options']['borderMode']): string {
  switch (mode) {
    case 'grey-pad':
      return (
        'grey-pad: the crop keeps the box’s geometry and the part outside the image is ' +
        'mid-grey, which is 0 after normalisation: “no information” to the network.'
      );
    case 'zero-pad':
      return (
        'zero-pad: the crop keeps the box’s geometry and the part outside the image is black (−1 ' +
        'after normalisation), as the original algorithm describes; the network sees a black band.'
      );
    case 'stretch':
      return (
        'stretch: only the part inside the image is cropped and stretched to the full square (the ' +
        'reference’s behaviour), so the face looks squeezed and the box’s geometry is lost.'
      );
  }
}

/** R-Net and O-Net panels share one layout: a grid of the crops and the image with their boxes. */
export function cropStageRenderer(cfg: CropStageConfig) {
  const render = (sel: Container, input: VizInput, state: CropStageState = {}): void => {
    const { trace } = input;
    sel.html('');
    panelHeader(sel, cfg.title, cfg.caption);
    state.filter ??= 'all';
    const inputs = trace[cfg.stage].inputs;
    const thr = trace.options.thresholds[cfg.thresholdIndex];
    const nmsThr = trace.options.nmsThresholds[cfg.nmsIndex];
    const byStatus = (s: CropStatus): CropTrace[] => inputs.filter((c) => cropStatus(c) === s);
    const counts = {
      kept: byStatus('kept').length,
      suppressed: byStatus('suppressed').length,
      rejected: byStatus('rejected').length,
    };
    const rerender = (): void => render(sel, input, state);
    const pick = (ref: NodeRef | undefined): void => {
      if (ref && input.link) {
        input.link.pick(ref);
        return;
      }
      state.selected = ref?.id;
      rerender();
    };
    const lineageId = input.link?.lineage?.[cfg.stage]?.id;
    if (state.selected === undefined && lineageId !== undefined) state.selected = lineageId;

    cfg.before?.(sel, input, (ref) => pick(ref));
    if (inputs.length === 0) {
      sel.append('p').attr('class', 'empty').text('No box reached this stage.');
      return;
    }
    const c = inputs.find((x) => x.id === state.selected);
    // A selected crop hidden by the filter: show all instead of hiding the selection.
    if (c && state.filter !== 'all' && cropStatus(c) !== state.filter) state.filter = 'all';
    const controls = sel.append('div').attr('class', 'controls');
    chips(
      controls,
      'Show',
      [
        { value: 'all' as const, text: `All ${inputs.length}` },
        {
          value: 'kept' as const,
          text: `Kept ${counts.kept}`,
          color: COLORS.kept,
          title: `score > ${thr}, survived NMS`,
        },
        {
          value: 'suppressed' as const,
          text: `Suppressed ${counts.suppressed}`,
          color: COLORS.suppressed,
          title: `score > ${thr}, removed by NMS (${cfg.overlapName} > ${nmsThr})`,
        },
        {
          value: 'rejected' as const,
          text: `Rejected ${counts.rejected}`,
          color: COLORS.rejected,
          title: `score ≤ ${thr}`,
        },
      ],
      state.filter,
      (v) => {
        state.filter = v;
        state.showAll = false;
        rerender();
      },
    );
    legend(controls, [
      { color: COLORS.kept, text: 'kept' },
      { color: COLORS.suppressed, text: 'suppressed by NMS', dash: true },
      { color: COLORS.rejected, text: `rejected (score ≤ ${thr})`, dash: true },
      ...cfg.legend(trace),
      {
        color: '#fbbf24',
        text:
          trace.options.borderMode === 'stretch'
            ? '↔ border part stretched'
            : `outside the image (${trace.options.borderMode === 'grey-pad' ? 'grey' : 'black'})`,
        dash: true,
      },
      { color: COLORS.lineage, text: 'the selected crop' },
      { color: COLORS.query, text: 'your question', dash: true },
    ]);

    const list = inputs
      .filter((x) => state.filter === 'all' || cropStatus(x) === state.filter)
      .sort((a, b) => b.score - a.score || a.id - b.id);
    let visible = state.showAll ? list : list.slice(0, cfg.limit);
    if (c && !visible.includes(c)) visible = [...visible, c];
    const views = sel.append('div').attr('class', 'views crops');
    const gridBox = views.append('div').attr('class', 'grid-box');
    cropGrid(gridBox, input, visible, {
      size: cfg.size,
      zoom: cfg.zoom,
      cols: cfg.cols,
      selected: state.selected,
      onSelect: (id) => pick(state.selected === id && !input.link ? undefined : { stage: cfg.stage, id }),
      caption:
        `${cfg.size}×${cfg.size} crops as the network saw them, best score ` +
        `first${visible.length < list.length ? ` (first ${visible.length} of ${list.length})` : ''}.`,
      hint: 'Click a crop, or Tab to it and press Enter.',
    });
    if (visible.length < list.length) {
      gridBox
        .append('button')
        .attr('type', 'button')
        .attr('class', 'more')
        .text(`Show all ${list.length}`)
        .on('click', () => {
          state.showAll = true;
          rerender();
        });
    }

    // Rejected boxes are most of them and say little on the image: drawn only when asked for.
    const drawn = (state.filter === 'all' ? inputs.filter((x) => x.passed) : list)
      .slice()
      .sort((a, b) => a.score - b.score);
    const iv = imageView(
      views,
      input,
      'image-view',
      `${cfg.stage === 'rnet' ? 'R-Net' : 'O-Net'}'s boxes on the image.`,
      {
        hint: 'Click one (or a crop) to select it.',
        pickables: () => drawn.map((x) => ({ ref: { stage: cfg.stage, id: x.id }, box: x.regressed ?? x.box })),
        memo: state,
        onPick: pick,
      },
    );
    for (const x of drawn) {
      const s = cropStatus(x);
      const g = iv.layer
        .append('g')
        .attr('class', `crop-box ${s}`)
        .attr('data-id', x.id)
        .attr('opacity', c && c.id !== x.id ? 0.35 : 1);
      cfg.drawOnImage(g, x, s, iv.unit);
    }
    keyboardList(
      iv.svg,
      drawn
        .slice()
        .reverse()
        .map((x) => ({ stage: cfg.stage, id: x.id })),
      state.selected,
      pick,
      'Boxes: ← → pick the previous or next box by score',
    );
    const bottom = sel.append('div').attr('class', 'crop-bottom');
    const info = bottom.append('div').attr('class', 'details').attr('aria-live', 'polite');
    const side = bottom.append('div').attr('class', 'net-side');
    const net = networkDiagram(
      side,
      NETWORKS[cfg.stage],
      `${cfg.stage === 'rnet' ? 'R-Net' : 'O-Net'}: every ${cfg.size}×${cfg.size} ` +
        `crop goes through these layers; the heads give its score and box ` +
        `offsets${cfg.stage === 'onet' ? ' and the five landmarks' : ''}.`,
    );
    const notes = cfg.surprises?.(trace) ?? [];
    if (!c) {
      net.setActive(null);
      info
        .append('p')
        .text(
          `${inputs.length} crops in: ${counts.rejected} scored ≤ ${thr}, ${counts.suppressed} removed by ` +
            `NMS (${cfg.overlapName} > ${nmsThr}), ${counts.kept} kept. Click a crop for its numbers.`,
        );
      for (const n of notes) info.append('p').attr('class', 'surprise').text(n);
      return;
    }
    net.pulse(70);
    const focus = iv.layer.append('g').attr('class', 'focus');
    boxRect(focus, c.box, 'focus-box', COLORS.lineage, 4);
    const kv = (k: string, v: string, cls = ''): void => {
      const d = info.append('div').attr('class', `kv ${cls}`);
      d.append('span').attr('class', 'k').text(k);
      d.append('span').attr('class', 'v').text(v);
    };
    const from = info.append('div').attr('class', 'kv');
    from.append('span').attr('class', 'k').text('crop');
    const fv = from.append('span').attr('class', 'v');
    fv.append('span').text(`#${c.id}, from `);
    const src: NodeRef = cfg.stage === 'rnet' ? { stage: 'pnet', id: c.source } : { stage: 'rnet', id: c.source };
    fv.append('button')
      .attr('type', 'button')
      .attr('class', 'ref-link')
      .text(`${cfg.stage === 'rnet' ? 'P-Net candidate' : 'R-Net crop'} #${c.source}`)
      .on('click', () => pick(src));
    fv.append('span').text(` · box ${fmt.box(c.box)}`);
    kv(
      'pixels',
      `columns [${c.window.x0}, ${c.window.x1}), rows [${c.window.y0}, ${c.window.y1}) → ${cfg.size}×${cfg.size}`,
    );
    kv(
      'score',
      `${fmt.scoreLong(c.score, c.logit)} ${c.passed ? '>' : '≤'} ${thr}: ${c.passed ? 'passed' : 'rejected'}`,
      c.passed ? 'pass' : 'fail',
    );
    if (c.nms) {
      if (c.nms.kept) kv('NMS', 'kept', 'pass');
      else {
        const by = inputs[c.nms.by!];
        const [a, b] = fmt.scores(c.score, by.score);
        kv(
          'NMS',
          `suppressed by #${by.id} (score ${a} vs ${b}): ${cfg.overlapName} ${c.nms.overlap!.toFixed(3)} > ${nmsThr}`,
          'fail',
        );
        boxRect(
          focus,
          cfg.stage === 'onet' && by.regressed ? by.regressed : by.box,
          'suppressor',
          STATUS_COLOR.kept,
          4,
        );
      }
    }
    for (const [k, v] of cfg.describe(c)) kv(k, v);
    const { width: W, height: H } = trace.image;
    if (leavesImage(c.box, W, H))
      info
        .append('p')
        .attr('class', 'surprise')
        .text(`This box leaves the image. ${borderNote(trace.options.borderMode)}`);
    for (const n of notes) info.append('p').attr('class', 'surprise').text(n);
  };
  return render;
}

/**
 * Why near-duplicates reach O-Net: R-Net's NMS compares the boxes it saw, before its own
 * regression; two boxes that regression moves onto the same face both go on.
 */
export function nearDuplicates(trace: StageTrace, threshold = 0.7): Array<[number, number, number]> {
  const o = trace.onet.inputs;
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i < o.length; i++)
    for (let j = i + 1; j < o.length; j++) {
      const v = iou(o[i].box, o[j].box);
      if (v > threshold) out.push([o[i].id, o[j].id, v]);
    }
  return out;
}
