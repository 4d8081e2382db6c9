import type { StageTrace } from '@mtcnn/core';
import { COLORS, levelColor } from '../colors.js';
import { lineageOf } from '../explain/lineage.js';
import { fmt, type VizInput } from '../model.js';
import { levelPicture, whenReady } from '../raster.js';
import { figure, panelHeader, type Container } from '../view.js';

export interface PyramidState {
  /** Called when a level is clicked (the app opens it in the P-Net panel). */
  onPickLevel?: (level: number) => void;
}

export const PYRAMID_TITLE = '1 · Image pyramid';
export const PYRAMID_CAPTION =
  'P-Net only looks at 12×12 windows, so the image is shrunk step by ' +
  'step: a face of any size is about 12 px tall at some level.';

/** Largest display scale (screen pixels per image pixel): a tiny image is drawn at most this big. */
export const MAX_ZOOM = 6;

/** For each final face: the level its P-Net window came from, and its height there (about 12 px). */
export function faceLevels(trace: StageTrace): Array<{ face: number; level: number; height: number; scaled: number }> {
  return trace.faces.flatMap((f, k) => {
    const l = lineageOf(trace, { stage: 'face', id: k });
    if (!l) return [];
    const h = trace.options.boxFormat === 'xyxy' ? f.box[3] - f.box[1] : f.box[3];
    const s = trace.pyramid[l.pnet.level].scale;
    return [{ face: k, level: l.pnet.level, height: h, scaled: h * s }];
  });
}

/**
 * Every pyramid level at its true size relative to the original (one user unit = one level pixel).
 * The labels keep a readable screen size whatever the image's size; the layout follows the
 * panel's width (the viewer redraws on resize).
 */
export function pyramidRenderer(sel: Container, input: VizInput, state: PyramidState = {}): void {
  const { trace, image } = input;
  const { width: W, height: H } = trace.image;
  sel.html('');
  panelHeader(sel, PYRAMID_TITLE, PYRAMID_CAPTION);
  const levels = trace.pyramid;
  const o = trace.options;

  // Rows of levels, bottom-aligned, no wider than the panel allows: the original's outline first.
  const avail = (sel.node() as HTMLElement | null)?.clientWidth || 1200;
  const narrow = avail < 600;
  const rowMax = Math.max(W * (narrow ? 1 : 1.75), 1);
  // Screen pixels per level pixel, at most MAX_ZOOM: a 15x15 image is not blown up to the page width.
  const zoom = Math.min(MAX_ZOOM, avail / rowMax);
  const font = 12.5 / zoom;
  const labelH = font * 2.6;
  const gap = font * 1.5;
  const items = [
    { key: 'original', w: W, h: H },
    ...levels.map((l) => ({ key: `L${l.index}`, w: l.width, h: l.height })),
  ].map((it) => ({ ...it, cellW: Math.max(it.w, font * 7.5) }));
  const pos: Array<{ x: number; y: number }> = [];
  let x = 0;
  let y = 0;
  let rowStart = 0;
  let rowH = 0;
  const closeRow = (end: number): void => {
    for (let i = rowStart; i < end; i++) pos[i].y = y + rowH - items[i].h;
    y += rowH + labelH + gap;
  };
  const limit = Math.max(rowMax, font * 8);
  items.forEach((it, i) => {
    if (x > 0 && x + it.cellW > limit) {
      closeRow(i);
      x = 0;
      rowStart = i;
      rowH = 0;
    }
    pos.push({ x, y: 0 });
    rowH = Math.max(rowH, it.h);
    x += it.cellW + gap;
  });
  closeRow(items.length);
  const totalW = Math.max(...items.map((it, i) => pos[i].x + it.cellW));
  const totalH = y - gap;

  const svg = figure(
    sel.append('div').attr('class', 'views'),
    'pyramid-view',
    'Each level drawn at its real size: one unit is one pixel of that level.',
    [-4, -4, totalW + 8, totalH + 8],
  );
  svg.style('max-width', `${Math.ceil((totalW + 8) * zoom)}px`).attr('data-zoom', zoom.toFixed(3));
  const orig = svg.append('g').attr('class', 'original').attr('transform', `translate(${pos[0].x},${pos[0].y})`);
  orig
    .append('image')
    .attr('href', image.href)
    .attr('width', W)
    .attr('height', H)
    .attr('opacity', 0.35)
    .attr('preserveAspectRatio', 'none');
  orig
    .append('rect')
    .attr('width', W)
    .attr('height', H)
    .attr('fill', 'none')
    .attr('stroke', COLORS.muted)
    .attr('stroke-dasharray', '6 4')
    .attr('vector-effect', 'non-scaling-stroke');
  orig
    .append('text')
    .attr('y', H + font * 1.1)
    .attr('font-size', font)
    .attr('fill', COLORS.ink)
    .attr('font-weight', 600)
    .text('original ×1');
  orig
    .append('text')
    .attr('y', H + font * 2.2)
    .attr('font-size', font)
    .attr('fill', COLORS.muted)
    .text(`${W} × ${H} px`);

  levels.forEach((l, k) => {
    const p = pos[k + 1];
    const g = svg
      .append('g')
      .attr('class', 'level')
      .attr('data-level', l.index)
      .attr('data-focus-key', `level:${l.index}`)
      .attr('transform', `translate(${p.x},${p.y})`)
      .style('cursor', state.onPickLevel ? 'pointer' : 'default')
      .on('click', () => state.onPickLevel?.(l.index));
    if (state.onPickLevel)
      g.attr('tabindex', 0)
        .attr('role', 'button')
        .attr('aria-label', `Open level ${l.index} in P-Net`)
        .on('keydown', (event: KeyboardEvent) => {
          if (event.key !== 'Enter' && event.key !== ' ') return;
          event.preventDefault();
          state.onPickLevel?.(l.index);
        });
    g.append('title').text(
      `Level ${l.index}: scale ${l.scale}, ${l.width}×${l.height} px, P-Net map ${l.mapWidth}×${l.mapHeight}`,
    );
    // The browser's scaling of the image first; the core's exact level pixels replace it when made.
    const img = g
      .append('image')
      .attr('class', 'pixels')
      .attr('href', image.href)
      .attr('width', l.width)
      .attr('height', l.height)
      .attr('preserveAspectRatio', 'none')
      .style('image-rendering', 'pixelated');
    whenReady(img, levelPicture(image.rgb, l.width, l.height, input.pictures?.levels[`${l.width}x${l.height}`]));
    g.append('rect')
      .attr('class', 'frame')
      .attr('width', l.width)
      .attr('height', l.height)
      .attr('fill', 'none')
      .attr('stroke', levelColor(l.index))
      .attr('stroke-width', 2)
      .attr('vector-effect', 'non-scaling-stroke');
    g.append('text')
      .attr('y', l.height + font * 1.1)
      .attr('font-size', font)
      .attr('fill', levelColor(l.index))
      .attr('font-weight', 600)
      .text(`L${l.index} ×${fmt.scale(l.scale)}`);
    g.append('text')
      .attr('y', l.height + font * 2.2)
      .attr('font-size', font)
      .attr('fill', COLORS.muted)
      .text(`${l.width} × ${l.height} px`);
  });

  const first = levels[0];
  const last = levels[levels.length - 1];
  const details = sel.append('div').attr('class', 'details');
  details
    .append('p')
    .text(
      levels.length === 0
        ? `The image's short side is below the smallest face (${o.minFaceSize} px): no level, nothing to detect.`
        : `Min face ${o.minFaceSize} px → first scale 12 / ${o.minFaceSize} ` +
            `= ${fmt.scale(first.scale)}; each next level ×${o.scaleFactor}; ` +
            `${levels.length} levels, the last ${last.width}×${last.height} px (its ` +
            `12×12 window covers ${fmt.px(12 / last.scale)} px of the original).`,
    );
  if (state.onPickLevel) details.append('p').attr('class', 'hint').text('Click a level to see P-Net on it.');
  const fl = faceLevels(trace);
  if (fl.length > 0) {
    const p = details.append('p').attr('class', 'surprise face-levels');
    p.text(
      `Where each face was found: ${fl
        .map(
          (f) =>
            `face ${f.face + 1} (${Math.round(f.height)} px tall) on ` +
            `L${f.level}, where it is ${f.scaled.toFixed(1)} px`,
        )
        .join('; ')}. That is the level where the face is about 12 px, P-Net's window.`,
    );
  }
}
