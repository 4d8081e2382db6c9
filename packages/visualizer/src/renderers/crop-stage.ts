import type { CropTrace } from '@mtcnn/core';
import { COLORS } from '../colors.js';
import { cropStatus, fmt, type CropStatus, type VizInput } from '../model.js';
import { boxRect, chips, imageView, legend, panelHeader, type Container, type G } from '../view.js';
import { cropGrid, STATUS_COLOR } from './crop-grid.js';

export interface CropStageState {
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
  /** Extra lines for the selected crop's details. */
  describe: (c: CropTrace) => Array<[string, string]>;
  limit: number;
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

    if (inputs.length === 0) {
      sel.append('p').attr('class', 'empty').text('No box reached this stage.');
      return;
    }
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
      { color: COLORS.kept, text: `kept` },
      { color: COLORS.suppressed, text: `suppressed by NMS` },
      { color: COLORS.rejected, text: `rejected (score ≤ ${thr})` },
      {
        color: '#fbbf24',
        text:
          trace.options.borderMode === 'stretch'
            ? '↔ border part stretched'
            : `outside the image (${trace.options.borderMode === 'grey-pad' ? 'grey' : 'black'})`,
        dash: true,
      },
    ]);

    const list = inputs
      .filter((c) => state.filter === 'all' || cropStatus(c) === state.filter)
      .sort((a, b) => b.score - a.score || a.id - b.id);
    const visible = state.showAll ? list : list.slice(0, cfg.limit);
    const views = sel.append('div').attr('class', 'views crops');
    const gridBox = views.append('div').attr('class', 'grid-box');
    cropGrid(gridBox, input, visible, {
      size: cfg.size,
      zoom: cfg.zoom,
      cols: cfg.cols,
      selected: state.selected,
      onSelect: (id) => {
        state.selected = state.selected === id ? undefined : id;
        rerender();
      },
      caption: `${cfg.size}×${cfg.size} crops as the network saw them, best score first${visible.length < list.length ? ` (first ${visible.length} of ${list.length})` : ''}.`,
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

    const iv = imageView(views, input, 'image-view', 'Boxes on the image: click a crop to find it here.');
    // Rejected boxes are most of them and say little on the image: drawn only when asked for.
    const drawn = (state.filter === 'all' ? inputs.filter((c) => c.passed) : list)
      .slice()
      .sort((a, b) => a.score - b.score);
    for (const c of drawn) {
      const s = cropStatus(c);
      const g = iv.layer.append('g').attr('class', `crop-box ${s}`).attr('data-id', c.id);
      cfg.drawOnImage(g, c, s, iv.unit);
    }
    const info = sel.append('div').attr('class', 'details').attr('aria-live', 'polite');
    const c = inputs.find((x) => x.id === state.selected);
    if (!c) {
      info
        .append('p')
        .text(
          `${inputs.length} crops in: ${counts.rejected} scored ≤ ${thr}, ${counts.suppressed} removed by NMS (${cfg.overlapName} > ${nmsThr}), ${counts.kept} kept. Click a crop for its numbers.`,
        );
      return;
    }
    const focus = iv.layer.append('g').attr('class', 'focus');
    boxRect(focus, c.box, 'focus-box', COLORS.focus, 4);
    const kv = (k: string, v: string, cls = ''): void => {
      const d = info.append('div').attr('class', `kv ${cls}`);
      d.append('span').attr('class', 'k').text(k);
      d.append('span').attr('class', 'v').text(v);
    };
    kv(
      'crop',
      `#${c.id} (from ${cfg.stage === 'rnet' ? 'P-Net candidate' : 'R-Net box'} #${c.source}) · box ${fmt.box(c.box)}`,
    );
    kv(
      'pixels',
      `columns [${c.window.x0}, ${c.window.x1}), rows [${c.window.y0}, ${c.window.y1}) → ${cfg.size}×${cfg.size}`,
    );
    kv(
      'score',
      `${fmt.score(c.score)} ${c.passed ? '>' : '≤'} ${thr}: ${c.passed ? 'passed' : 'rejected'}`,
      c.passed ? 'pass' : 'fail',
    );
    if (c.nms) {
      if (c.nms.kept) kv('NMS', 'kept', 'pass');
      else {
        const by = inputs[c.nms.by!];
        kv(
          'NMS',
          `suppressed by #${by.id} (score ${fmt.score(by.score)}): ${cfg.overlapName} ${c.nms.overlap!.toFixed(3)} > ${nmsThr}`,
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
  };
  return render;
}
