import { pointer, select, type Selection } from 'd3';
import { COLORS } from './colors.js';
import type { NodeRef } from './explain/lineage.js';
import { attachAsk, attachZoom, pickCycling, type ClickMemo, type Pickable, type ViewTools } from './interact.js';
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
  hint?: string,
): Svg {
  const fig = parent.append('figure').attr('class', `view ${className}`);
  const svg = fig
    .append('svg')
    .attr('class', 'viz')
    .attr('viewBox', viewBox.join(' '))
    .attr('data-caption', caption)
    .attr('data-focus-key', `view:${className.split(' ')[0]}`)
    .attr('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
  const cap = fig.append('figcaption').text(caption);
  // What to do with it (on screen only: "Export SVG" leaves it out).
  if (hint) cap.append('span').attr('class', 'hint').text(` ${hint}`);
  return svg;
}

export interface ImageView {
  svg: Svg;
  /** Drawing layer in image pixel coordinates (inside the zoom group). */
  layer: G;
  /** One screen-ish pixel in image units at a typical display width, for text and marker sizes. */
  unit: number;
}

export interface ImageViewOptions {
  /** The boxes a click can pick (the nearest outline wins; clicking again cycles). */
  pickables?: () => readonly Pickable[];
  /** Keeps the last click, to cycle through overlapping boxes (a panel's state). */
  memo?: ClickMemo;
  /** The selected box, for the "zoom to the selected box" button. */
  focusBox?: () => readonly number[] | undefined;
  /** How to use the view (shown on screen, not exported). */
  hint?: string;
  /** A pick (or `undefined`: a click on no box). Default: the viewer's link. */
  onPick?: (ref: NodeRef | undefined) => void;
}

/** Zoom state for a view without a viewer (a lone renderer): not shared. */
const loneTools = (): ViewTools => ({ zoom: { k: 1, x: 0, y: 0 }, drag: 'ask' });

/**
 * The original image in image pixel coordinates (the SVG's user units), with a margin so boxes
 * leaving the image stay visible. Every box of the trace can be drawn with its raw numbers.
 * With the viewer's link: zoom and pan (shared by every panel), drag a box to ask why, click a
 * box to pick it (or a point to ask about it), and the last question's region drawn on top.
 */
export function imageView(
  parent: Container,
  input: VizInput,
  className: string,
  caption: string,
  opts: ImageViewOptions = {},
): ImageView {
  const { width: W, height: H } = input.trace.image;
  const m = Math.round(Math.max(W, H) * 0.04);
  const svg = figure(parent, className, caption, [-m, -m, W + 2 * m, H + 2 * m], opts.hint);
  svg
    .append('rect')
    .attr('class', 'backdrop')
    .attr('x', -m)
    .attr('y', -m)
    .attr('width', W + 2 * m)
    .attr('height', H + 2 * m)
    .attr('fill', '#eef0f3');
  const zoomed = svg.append('g').attr('class', 'zoom');
  zoomed
    .append('image')
    .attr('class', 'source')
    .attr('href', input.image.href)
    .attr('x', 0)
    .attr('y', 0)
    .attr('width', W)
    .attr('height', H)
    .attr('preserveAspectRatio', 'none');
  zoomed
    .append('rect')
    .attr('class', 'bounds')
    .attr('width', W)
    .attr('height', H)
    .attr('fill', 'none')
    .attr('stroke', COLORS.muted)
    .attr('stroke-dasharray', '4 3')
    .attr('vector-effect', 'non-scaling-stroke');
  const layer = zoomed.append('g').attr('class', 'layer');
  const unit = (W + 2 * m) / 640;
  const link = input.link;
  const tools = link ?? loneTools();
  const fig = select(svg.node()!.parentElement!) as Container;
  attachZoom(
    fig,
    svg,
    zoomed,
    tools,
    [
      [-m, -m],
      [W + m, H + m],
    ],
    opts.focusBox,
  );
  const wasDrag = attachAsk(svg, layer, tools);
  // The question's region, above every box a panel draws into `layer`.
  const q = link?.query?.region;
  const overlay = zoomed.append('g').attr('class', 'query-region').attr('pointer-events', 'none');
  if (q?.kind === 'box') {
    boxRect(overlay, q.box, 'asked', COLORS.query, 2.5, '7 4');
  } else if (q?.kind === 'point') {
    overlay
      .append('circle')
      .attr('class', 'asked')
      .attr('cx', q.x)
      .attr('cy', q.y)
      .attr('r', 6 * unit)
      .attr('fill', 'none')
      .attr('stroke', COLORS.query)
      .attr('stroke-width', 2.5)
      .attr('vector-effect', 'non-scaling-stroke');
  }
  svg.on('click.pick', (event: MouseEvent) => {
    if (wasDrag()) return;
    const [x, y] = pointer(event, layer.node());
    const el = svg.node()!;
    const screen = el.getBoundingClientRect?.().width || 0;
    const perPx = screen > 0 ? (W + 2 * m) / screen : unit;
    const tolerance = (6 * perPx) / (tools.zoom.k || 1);
    if (!event.shiftKey && opts.pickables) {
      const hit = pickCycling(opts.pickables(), x, y, tolerance, opts.memo ?? {});
      if (hit) {
        (opts.onPick ?? link?.pick)?.(hit.ref);
        return;
      }
    }
    if (link) link.ask({ kind: 'point', x, y });
    else opts.onPick?.(undefined);
  });
  return { svg, layer, unit };
}

/** Draws `[x1, y1, x2, y2]` as a rect with a stroke of constant screen width. */
export function boxRect(
  g: Any,
  box: readonly number[],
  className: string,
  stroke: string,
  width = 1.5,
  dash?: string,
): Any {
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
      .attr('data-focus-key', `chip:${label}:${String(it.value)}`)
      .attr('aria-pressed', String(it.value === value))
      .text(it.text)
      .on('click', function () {
        const doc = (this as HTMLElement).ownerDocument;
        const key = (this as HTMLElement).dataset.focusKey;
        onPick(it.value);
        // The panel re-renders on a pick: give the focus back to the same chip.
        refocus(doc, key);
      });
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

/**
 * Redraws with `draw` and gives the focus back to the element that had it (same
 * `data-focus-key`), so that a panel re-rendered by a key press (Enter on a chip, an arrow in a
 * view) does not drop the keyboard user to <body>.
 */
export function keepFocus(root: Element, draw: () => void): void {
  const doc = root.ownerDocument;
  const active = doc.activeElement as HTMLElement | null;
  const key =
    active && root.contains(active)
      ? active.closest<HTMLElement | SVGElement>('[data-focus-key]')?.dataset.focusKey
      : undefined;
  draw();
  if (!key || (doc.activeElement && doc.activeElement !== doc.body && root.contains(doc.activeElement))) return;
  refocus(root, key);
}

/** Focuses the element with this `data-focus-key` under `root`, if the focus was lost (is on <body>). */
export function refocus(root: Element | Document, key: string | undefined): void {
  if (!key) return;
  const doc = 'ownerDocument' in root && root.ownerDocument ? root.ownerDocument : (root as Document);
  if (doc.activeElement && doc.activeElement !== doc.body) return;
  const el = root.querySelector<HTMLElement | SVGElement>(`[data-focus-key="${key.replace(/["\\]/g, '\\$&')}"]`);
  el?.focus({ preventScroll: true });
}
