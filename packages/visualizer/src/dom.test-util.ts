import { select } from 'd3';
import type { Container } from './view.js';

/** A fresh container in the (jsdom) document for one renderer call. */
export function container(): Container {
  document.body.innerHTML = '';
  return select(document.body).append('div').attr('class', 'test-panel');
}

/** Numeric attribute of an element. */
export function num(el: Element | null, name: string): number {
  if (!el) throw new Error(`no element for attribute ${name}`);
  return Number(el.getAttribute(name));
}

/** `[x1, y1, x2, y2]` of an SVG rect. */
export function rectBox(el: Element): [number, number, number, number] {
  const x = num(el, 'x');
  const y = num(el, 'y');
  return [x, y, x + num(el, 'width'), y + num(el, 'height')];
}
