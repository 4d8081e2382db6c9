import type { CropTrace } from '@mtcnn/core';
import { cropFill } from '@mtcnn/core/backend-kit';
import { COLORS, LANDMARK_COLORS } from '../colors.js';
import { outsideFractions, leavesImage } from '../geometry.js';
import { cropStatus, fmt, type CropStatus, type VizInput } from '../model.js';
import { cropAtlas, rasterSupported, whenReady, type AtlasLayout } from '../raster.js';
import { keyboardButton } from '../interact.js';
import { figure, type Container, type Svg } from '../view.js';

/** A score that fits under a crop and still shows how close to 1 it is: 0.554, 0.9987, 1−2e-5. */
export function compactScore(p: number): string {
  if (p >= 1) return '1';
  if (p > 0.9999) return `1−${(1 - p).toExponential(0)}`;
  if (p > 0.995) return p.toFixed(4);
  return p.toFixed(3);
}

export const STATUS_COLOR: Record<CropStatus, string> = {
  kept: COLORS.kept,
  suppressed: COLORS.suppressed,
  rejected: COLORS.rejected,
};
const GLYPH: Record<CropStatus, string> = { kept: '✓', suppressed: '⊘', rejected: '✕' };

export interface CropGridOptions {
  /** Crop side the network saw (24 for R-Net, 48 for O-Net). */
  size: number;
  /** Display pixels per crop pixel. */
  zoom: number;
  cols: number;
  selected?: number;
  onSelect: (id: number) => void;
  caption: string;
  hint?: string;
}

/**
 * The crops exactly as the network saw them, one cell each, best score first, framed in their
 * status colour, with the out-of-image part hatched (zero-pad: it is black in the crop).
 */
export function cropGrid(parent: Container, input: VizInput, crops: readonly CropTrace[], o: CropGridOptions): Svg {
  const { width: W, height: H } = input.trace.image;
  const stretch = input.trace.options.borderMode === 'stretch';
  const label = Math.ceil(o.size * 0.45);
  // Cells wide enough for the score label at any zoom: at least 64 display px.
  const pitchX = Math.max(o.size + 4, Math.ceil(64 / o.zoom));
  const layout: AtlasLayout = { size: o.size, cols: o.cols, pitchX, pitchY: o.size + 4 + label, inset: 2 };
  const z = o.zoom;
  const cols = Math.max(1, Math.min(o.cols, crops.length));
  const rows = Math.ceil(crops.length / o.cols);
  const svg = figure(
    parent,
    'crop-grid',
    o.caption,
    [0, 0, Math.max(cols * layout.pitchX * z, 1), Math.max(rows * layout.pitchY * z, 1)],
    o.hint,
  );
  const id = `hatch-${o.size}`;
  svg
    .append('defs')
    .append('pattern')
    .attr('id', id)
    .attr('width', 6)
    .attr('height', 6)
    .attr('patternUnits', 'userSpaceOnUse')
    .attr('patternTransform', 'rotate(45)')
    .call((p) => {
      p.append('rect').attr('width', 6).attr('height', 6).attr('fill', 'rgba(255,255,255,0.12)');
      p.append('line')
        .attr('x1', 0)
        .attr('y1', 0)
        .attr('x2', 0)
        .attr('y2', 6)
        .attr('stroke', '#fbbf24')
        .attr('stroke-width', 2);
    });
  // The core's own fill for the out-of-image part (grey or black), so the crops are what the network saw.
  const atlas = input.image.rgb && rasterSupported();
  if (atlas) {
    const pic = cropAtlas(
      input.image.rgb,
      crops.map((c) => c.window),
      layout,
      cropFill(input.trace.options.borderMode),
      // The worker's pictures of this stage's inputs, when it sent them (id = position in the batch).
      input.pictures?.[o.size === 24 ? 'rnet' : 'onet']
        ? { rgba: input.pictures[o.size === 24 ? 'rnet' : 'onet']!, index: crops.map((c) => c.id) }
        : undefined,
    );
    const img = svg
      .append('image')
      .attr('class', 'atlas')
      .attr('width', cols * layout.pitchX * z)
      .attr('height', rows * layout.pitchY * z)
      .attr('preserveAspectRatio', 'none')
      .style('image-rendering', 'pixelated');
    whenReady(img, pic);
  }
  const side = o.size * z;
  crops.forEach((c, i) => {
    const status = cropStatus(c);
    const x = (i % o.cols) * layout.pitchX * z + layout.inset * z;
    const y = Math.floor(i / o.cols) * layout.pitchY * z + layout.inset * z;
    const g = svg
      .append('g')
      .attr('class', `crop ${status}${o.selected === c.id ? ' selected' : ''}`)
      .attr('data-id', c.id)
      .attr('data-status', status)
      .attr('transform', `translate(${x},${y})`)
      .attr('data-focus-key', `crop:${c.id}`)
      .style('cursor', 'pointer')
      .on('click', () => o.onSelect(c.id));
    keyboardButton(g, `Crop #${c.id}, score ${fmt.score(c.score)}, ${status}`, () => o.onSelect(c.id));
    g.append('title').text(`#${c.id} · score ${fmt.score(c.score)} · ${status}`);
    // The pixels are one atlas image underneath: this transparent cell takes the clicks.
    g.append('rect')
      .attr('class', 'hit')
      .attr('width', side)
      .attr('height', side + label * z * 0.7)
      .attr('fill', 'transparent');
    if (!atlas)
      g.append('rect').attr('class', 'placeholder').attr('width', side).attr('height', side).attr('fill', '#e5e7eb');
    const out = outsideFractions(c.window, W, H);
    const pads = [
      { k: 'left', x: 0, y: 0, w: out.left * side, h: side },
      { k: 'right', x: side - out.right * side, y: 0, w: out.right * side, h: side },
      { k: 'top', x: 0, y: 0, w: side, h: out.top * side },
      { k: 'bottom', x: 0, y: side - out.bottom * side, w: side, h: out.bottom * side },
    ].filter((p) => p.w > 0 && p.h > 0);
    for (const p of pads) {
      g.append('rect')
        .attr('class', 'pad')
        .attr('data-side', p.k)
        .attr('x', p.x)
        .attr('y', p.y)
        .attr('width', p.w)
        .attr('height', p.h)
        .attr('fill', `url(#${id})`);
    }
    if (stretch && leavesImage(c.box, W, H)) {
      // Stretch mode: the in-image part was stretched to fill the crop; mark it.
      g.append('text')
        .attr('class', 'stretched')
        .attr('x', side - 2)
        .attr('y', 11)
        .attr('text-anchor', 'end')
        .attr('font-size', 11)
        .attr('fill', '#fbbf24')
        .text('↔');
    }
    // O-Net's five landmarks on the crop it computed them from (image -> crop pixels through the window).
    if (c.landmarks && c.passed) {
      const sx = side / Math.max(1e-9, c.window.x1 - c.window.x0);
      const sy = side / Math.max(1e-9, c.window.y1 - c.window.y0);
      c.landmarks.forEach(([lx, ly], k) => {
        g.append('circle')
          .attr('class', 'crop-landmark')
          .attr('cx', (lx - c.window.x0) * sx)
          .attr('cy', (ly - c.window.y0) * sy)
          .attr('r', Math.max(1.5, side / 30))
          .attr('fill', LANDMARK_COLORS[k])
          .attr('stroke', '#fff')
          .attr('stroke-width', 0.75);
      });
    }
    g.append('rect')
      .attr('class', 'frame')
      .attr('x', -1)
      .attr('y', -1)
      .attr('width', side + 2)
      .attr('height', side + 2)
      .attr('fill', 'none')
      .attr('stroke', o.selected === c.id ? COLORS.focus : STATUS_COLOR[status])
      .attr('stroke-width', o.selected === c.id ? 4 : status === 'rejected' ? 1 : 2.5);
    g.append('text')
      .attr('class', 'score')
      .attr('x', 0)
      .attr('y', side + label * z * 0.62)
      .attr('font-size', Math.min(12, label * z * 0.55))
      .attr('fill', STATUS_COLOR[status] === COLORS.rejected ? COLORS.muted : STATUS_COLOR[status])
      .attr('font-weight', 600)
      .text(`${GLYPH[status]} ${compactScore(c.score)}`);
  });
  return svg;
}
