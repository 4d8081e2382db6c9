import { pointer, zoom as d3zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import type { Box } from '@mtcnn/core';
import type { NodeRef } from './explain/lineage.js';
import { edgeDistance } from './explain/overlap.js';
import type { Region } from './explain/query.js';
import { refocus, type Any, type Container, type G, type Svg } from './view.js';

/**
 * What the image views share: zoom and pan (Ctrl + wheel or a pinch, the ＋ − ⟲ buttons, dragging
 * in pan mode), drag a box to ask why (ask mode), and picking one box among overlapping ones.
 */

/** A zoom transform, `k` times, then translated by (x, y) in SVG user units. */
export interface ZoomState {
  k: number;
  x: number;
  y: number;
}

export interface ViewTools {
  /** Shared zoom (mutated as the user zooms), so that it carries over from panel to panel. */
  zoom: ZoomState;
  /** What a drag does on the image. */
  drag: 'ask' | 'pan';
  onDragMode?: (mode: 'ask' | 'pan') => void;
  /** A box was dragged (image units). */
  onAsk?: (region: Region) => void;
}

function isSvgCapable(node: SVGSVGElement): boolean {
  // jsdom has no SVG geometry (viewBox, getScreenCTM): zoom and drag are browser-only.
  return typeof node.viewBox?.baseVal === 'object' && node.viewBox.baseVal !== null && 'getScreenCTM' in node;
}

/**
 * Zoom and pan on `svg` applied to `target` (a group holding the picture and the boxes), with a
 * small toolbar on the figure. Strokes keep their screen width (non-scaling-stroke).
 */
export function attachZoom(
  figure: Container,
  svg: Svg,
  target: G,
  tools: ViewTools,
  extent: [[number, number], [number, number]],
  focus?: () => readonly number[] | undefined,
): ZoomBehavior<SVGSVGElement, unknown> | undefined {
  const node = svg.node()!;
  const bar = figure.append('div').attr('class', 'view-tools').attr('role', 'toolbar').attr('aria-label', 'Image view');
  const apply = (t: ZoomState): void => {
    target.attr('transform', t.k === 1 && t.x === 0 && t.y === 0 ? null : `translate(${t.x},${t.y}) scale(${t.k})`);
  };
  apply(tools.zoom);
  if (!isSvgCapable(node)) return undefined;
  const behavior = d3zoom<SVGSVGElement, unknown>()
    .scaleExtent([1, 40])
    .extent(extent)
    .translateExtent(extent)
    .filter((event: Event) => {
      const e = event as MouseEvent & TouchEvent;
      // plain wheel scrolls the page; a trackpad pinch is ctrl+wheel
      if (e.type === 'wheel') return e.ctrlKey || e.metaKey;
      if (e.type.startsWith('touch')) return (e.touches?.length ?? 0) >= 2 || tools.drag === 'pan';
      if (e.type === 'mousedown') return tools.drag === 'pan' ? e.button === 0 : e.button === 1 || e.altKey;
      return false;
    })
    .on('zoom', (event) => {
      const t = event.transform;
      tools.zoom.k = t.k;
      tools.zoom.x = t.x;
      tools.zoom.y = t.y;
      apply(tools.zoom);
    });
  svg.call(behavior).on('dblclick.zoom', null);
  svg.property('__zoom', zoomIdentity.translate(tools.zoom.x, tools.zoom.y).scale(tools.zoom.k));
  const btn = (cls: string, text: string, label: string, on: () => void): Any =>
    bar
      .append('button')
      .attr('type', 'button')
      .attr('class', cls)
      .attr('title', label)
      .attr('aria-label', label)
      .text(text)
      .on('click', on);
  btn('zoom-in', '+', 'Zoom in (or Ctrl + wheel)', () => svg.transition().duration(200).call(behavior.scaleBy, 1.6));
  btn('zoom-out', '−', 'Zoom out', () =>
    svg
      .transition()
      .duration(200)
      .call(behavior.scaleBy, 1 / 1.6),
  );
  btn('zoom-reset', '⟲', 'Fit the whole image', () =>
    svg.transition().duration(200).call(behavior.transform, zoomIdentity),
  );
  if (focus?.())
    btn('zoom-focus', '◎', 'Zoom to the selected box', () => {
      const b = focus();
      if (!b) return;
      const [[x0, y0], [x1, y1]] = extent;
      // The box at about a third of the view, centred.
      const k = Math.max(1, Math.min(40, Math.min((x1 - x0) / (b[2] - b[0]), (y1 - y0) / (b[3] - b[1])) / 3));
      const cx = (b[0] + b[2]) / 2;
      const cy = (b[1] + b[3]) / 2;
      const t = zoomIdentity
        .translate((x0 + x1) / 2, (y0 + y1) / 2)
        .scale(k)
        .translate(-cx, -cy);
      svg.transition().duration(300).call(behavior.transform, t);
    });
  const mode = bar
    .append('button')
    .attr('type', 'button')
    .attr('class', 'drag-mode')
    .attr('aria-pressed', String(tools.drag === 'pan'))
    .on('click', () => {
      tools.drag = tools.drag === 'pan' ? 'ask' : 'pan';
      tools.onDragMode?.(tools.drag);
      label();
    });
  const label = (): void => {
    mode
      .attr('aria-pressed', String(tools.drag === 'pan'))
      .text(tools.drag === 'pan' ? '✥ drag pans' : '⬚ drag asks why')
      .attr(
        'title',
        tools.drag === 'pan'
          ? 'Dragging moves the image; click to drag a box instead'
          : 'Drag a box around a face to ask why it was (not) detected; click to pan instead',
      );
    svg.classed('pan-mode', tools.drag === 'pan');
  };
  label();
  return behavior;
}

/**
 * Drag a box on the image (in ask mode) to ask about it. A drag shorter than 5 screen pixels is a
 * click, left to the panel. Returns a function that tells whether the last pointer-up ended a drag
 * (the click that follows it is then ignored).
 */
export function attachAsk(svg: Svg, layer: G, tools: ViewTools): () => boolean {
  const node = svg.node()!;
  let dragged = false;
  if (!isSvgCapable(node)) return () => false;
  let start: { x: number; y: number; sx: number; sy: number; id: number } | undefined;
  let band: Any | undefined;
  svg.on('pointerdown.ask', (event: PointerEvent) => {
    dragged = false;
    if (tools.drag !== 'ask' || event.button !== 0 || event.altKey || event.pointerType === 'touch') return;
    const [x, y] = pointer(event, layer.node());
    start = { x, y, sx: event.clientX, sy: event.clientY, id: event.pointerId };
  });
  svg.on('pointermove.ask', (event: PointerEvent) => {
    if (!start || event.pointerId !== start.id) return;
    if (!band && Math.hypot(event.clientX - start.sx, event.clientY - start.sy) < 5) return;
    const [x, y] = pointer(event, layer.node());
    if (!band) {
      node.setPointerCapture?.(event.pointerId);
      band = layer
        .append('rect')
        .attr('class', 'ask-band')
        .attr('fill', 'rgba(6, 182, 212, 0.12)')
        .attr('stroke', '#0891b2')
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', '6 3')
        .attr('vector-effect', 'non-scaling-stroke');
    }
    band
      .attr('x', Math.min(x, start.x))
      .attr('y', Math.min(y, start.y))
      .attr('width', Math.abs(x - start.x))
      .attr('height', Math.abs(y - start.y));
  });
  const end = (event: PointerEvent): void => {
    if (!start || event.pointerId !== start.id) return;
    const s = start;
    start = undefined;
    if (!band) return;
    band.remove();
    band = undefined;
    dragged = true;
    if (event.type === 'pointercancel') return;
    const [x, y] = pointer(event, layer.node());
    const box: Box = [Math.min(x, s.x), Math.min(y, s.y), Math.max(x, s.x), Math.max(y, s.y)];
    tools.onAsk?.({ kind: 'box', box });
  };
  svg.on('pointerup.ask', end).on('pointercancel.ask', end);
  return () => dragged;
}

export interface Pickable {
  ref: NodeRef;
  box: readonly number[];
}

/**
 * The box a click at (x, y) means, among overlapping ones: the box whose outline is nearest to the
 * pointer (so a kept box nested in a suppressed one is picked by clicking its edge), then the
 * smallest. `previous` is the last pick at the same place: clicking again there picks the next
 * box under the pointer, so every box is reachable.
 */
export function pickAt(
  items: readonly Pickable[],
  x: number,
  y: number,
  tolerance: number,
  previous?: NodeRef,
): Pickable | undefined {
  const area = (b: readonly number[]): number => (b[2] - b[0]) * (b[3] - b[1]);
  const near = items
    .map((it) => ({ it, d: edgeDistance(it.box, x, y) }))
    .filter(({ it, d }) => d <= tolerance || (x >= it.box[0] && x <= it.box[2] && y >= it.box[1] && y <= it.box[3]))
    .sort((a, b) => Math.min(a.d, tolerance * 4) - Math.min(b.d, tolerance * 4) || area(a.it.box) - area(b.it.box));
  if (near.length === 0) return undefined;
  if (previous) {
    const i = near.findIndex(({ it }) => it.ref.stage === previous.stage && it.ref.id === previous.id);
    if (i >= 0) return near[(i + 1) % near.length].it;
  }
  return near[0].it;
}

/** Where the last click landed and what it picked (kept in a panel's state, which outlives re-renders). */
export interface ClickMemo {
  lastClick?: { x: number; y: number; ref?: NodeRef };
}

/** `pickAt`, cycling through the boxes under the pointer when clicked again at the same place. */
export function pickCycling(
  items: readonly Pickable[],
  x: number,
  y: number,
  tolerance: number,
  memo: ClickMemo,
): Pickable | undefined {
  const last = memo.lastClick;
  const again = last && Math.hypot(x - last.x, y - last.y) <= tolerance ? last.ref : undefined;
  const hit = pickAt(items, x, y, tolerance, again);
  memo.lastClick = { x, y, ref: hit?.ref };
  return hit;
}

/** Marks a focusable element as a button for the keyboard: Enter and Space do what a click does. */
export function keyboardButton(el: Any, label: string, onActivate: () => void): void {
  el.attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', label)
    .on('keydown', (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      const node = el.node() as HTMLElement;
      const key = node.dataset.focusKey;
      const doc = node.ownerDocument;
      onActivate();
      refocus(doc, key);
    });
}

/**
 * Keyboard access to the boxes of an image view: the view is one tab stop; ← → (or ↑ ↓) pick the
 * previous / next box in `order` (e.g. best score first), Home / End the first / last, Escape
 * nothing. The keys stay in the view (the viewer's stage keys are not triggered).
 */
export function keyboardList(
  svg: Svg,
  order: readonly NodeRef[],
  current: number | undefined,
  onPick: (ref: NodeRef | undefined) => void,
  label: string,
): void {
  svg.attr('tabindex', 0).attr('aria-label', label).attr('aria-keyshortcuts', 'ArrowLeft ArrowRight Home End Escape');
  svg.on('keydown.list', (event: KeyboardEvent) => {
    if (order.length === 0) return;
    const i = order.findIndex((r) => r.id === current);
    let next: number | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = i < 0 ? 0 : Math.min(order.length - 1, i + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = i < 0 ? 0 : Math.max(0, i - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = order.length - 1;
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onPick(undefined);
      return;
    } else return;
    event.preventDefault();
    event.stopPropagation();
    const key = (svg.node() as SVGSVGElement).dataset.focusKey;
    const doc = (svg.node() as SVGSVGElement).ownerDocument;
    onPick(order[next]);
    refocus(doc, key);
  });
}
