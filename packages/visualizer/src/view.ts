import type { Selection } from 'd3';
import type { Box } from '@mtcnn/core';
import { COLORS } from './colors.js';
import type { VizInput } from './model.js';

/*
 * d3's Selection type is invariant in its element type, so the helpers take selections of any
 * element; the names say what is expected.
 */
/** A d3 selection of the HTML element a renderer draws into. */
// biome-ignore lint/suspicious/noExplicitAny: d3 selections are invariant in their types; the helpers take any
export type Container = Selection<any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: d3 selections are invariant in their types; the helpers take any
export type Svg = Selection<SVGSVGElement, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: d3 selections are invariant in their types; the helpers take any
export type G = Selection<any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: d3 selections are invariant in their types; the helpers take any
export type Any = Selection<any, any, any, any>;

/** Panel head: the title and the one-line caption a student reads first. */
export function panelHeader(sel: Container, title: string, caption: string): void {
  const head = sel.append('header').attr('class', 'panel-head');
  head.append('h2').attr('class', 'panel-title').text(title);
  head.append('p').attr('class', 'panel-caption').text(caption);
}

/** A figure holding one SVG, with a caption below (exported with the SVG). */
export function figure(
  parent: Container,
  className: string,
  caption: string,
  viewBox: [number, number, number, number],
): Svg {
  const fig = parent.append('figure').attr('class', `view ${className}`);
  const svg = fig
    .append('svg')
    .attr('class', 'viz')
    .attr('viewBox', viewBox.join(' '))
    .attr('data-caption', caption)
    .attr('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
  fig.append('figcaption').text(caption);
  return svg;
}

export interface ImageView {
  svg: Svg;
  /** Drawing layer in image pixel coordinates. */
  layer: G;
  /** One screen-ish pixel in image units at a typical display width, for text and marker sizes. */
  unit: number;
}

/**
 * The original image in image pixel coordinates (the SVG's user units), with a margin so boxes
 * leaving the image stay visible. Every box of the trace can be drawn with its raw numbers.
 */
export function imageView(parent: Container, input: VizInput, className: string, caption: string): ImageView {
  const { width: W, height: H } = input.trace.image;
  const m = Math.round(Math.max(W, H) * 0.04);
  const svg = figure(parent, className, caption, [-m, -m, W + 2 * m, H + 2 * m]);
  svg
    .append('rect')
    .attr('class', 'backdrop')
    .attr('x', -m)
    .attr('y', -m)
    .attr('width', W + 2 * m)
    .attr('height', H + 2 * m)
    .attr('fill', '#eef0f3');
  svg
    .append('image')
    .attr('class', 'source')
    .attr('href', input.image.href)
    .attr('x', 0)
    .attr('y', 0)
    .attr('width', W)
    .attr('height', H)
    .attr('preserveAspectRatio', 'none');
  svg
    .append('rect')
    .attr('class', 'bounds')
    .attr('width', W)
    .attr('height', H)
    .attr('fill', 'none')
    .attr('stroke', COLORS.muted)
    .attr('stroke-dasharray', '4 3')
    .attr('vector-effect', 'non-scaling-stroke');
  const layer = svg.append('g').attr('class', 'layer');
  return { svg, layer, unit: (W + 2 * m) / 640 };
}

/** Draws `[x1, y1, x2, y2]` as a rect with a stroke of constant screen width. */
export function boxRect(g: Any, box: Box, className: string, stroke: string, width = 1.5, dash?: string): Any {
  const r = g
    .append('rect')
    .attr('class', className)
    .attr('x', box[0])
    .attr('y', box[1])
    .attr('width', Math.max(0, box[2] - box[0]))
    .attr('height', Math.max(0, box[3] - box[1]))
    .attr('fill', 'none')
    .attr('stroke', stroke)
    .attr('stroke-width', width)
    .attr('vector-effect', 'non-scaling-stroke');
  if (dash) r.attr('stroke-dasharray', dash);
  return r as unknown as Any;
}

/** A row of toggle buttons (chips); `value` is the pressed one. */
export function chips<T extends string | number>(
  parent: Container,
  label: string,
  items: ReadonlyArray<{ value: T; text: string; title?: string; color?: string }>,
  value: T,
  onPick: (v: T) => void,
): void {
  const row = parent.append('div').attr('class', 'chips').attr('role', 'group').attr('aria-label', label);
  row.append('span').attr('class', 'chips-label').text(label);
  for (const it of items) {
    const b = row
      .append('button')
      .attr('type', 'button')
      .attr('class', 'chip')
      .attr('data-value', String(it.value))
      .attr('aria-pressed', String(it.value === value))
      .text(it.text)
      .on('click', () => onPick(it.value));
    if (it.title) b.attr('title', it.title);
    if (it.color) b.style('--chip-color', it.color);
  }
}

/** Legend items: a coloured line sample and its meaning. */
export function legend(
  parent: Container,
  items: ReadonlyArray<{ color: string; text: string; dash?: boolean; dot?: boolean }>,
): void {
  const ul = parent.append('ul').attr('class', 'legend');
  for (const it of items) {
    const li = ul.append('li');
    li.append('span')
      .attr('class', it.dot ? 'swatch dot' : it.dash ? 'swatch dash' : 'swatch')
      .style('--swatch', it.color);
    li.append('span').text(it.text);
  }
}
