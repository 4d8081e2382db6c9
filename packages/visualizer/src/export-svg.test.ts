// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { container } from './dom.test-util.js';
import { panelToSvg, wrapText } from './export-svg.js';
import { fixtureInput } from './fixture.test-util.js';
import { onetRenderer } from './renderers/onet.js';
import { PNET_CAPTION, pnetKernelRenderer } from './renderers/pnet-kernel.js';

function parse(svg: string): SVGSVGElement {
  expect(svg.startsWith('<?xml')).toBe(true);
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.querySelector('parsererror')).toBeNull();
  return doc.documentElement as unknown as SVGSVGElement;
}

/** The exported text, line by line, joined back into one string. */
const textOf = (root: Element): string =>
  Array.from(root.querySelectorAll(':scope > text'))
    .map((t) => t.textContent)
    .join(' ');

describe('panelToSvg', () => {
  it("stacks the panel's figures into one standalone SVG with its title and captions", async () => {
    const input = await fixtureInput();
    const sel = container().call(onetRenderer, input);
    const root = parse(panelToSvg(sel.node()!));
    expect(root.tagName).toBe('svg');
    expect(root.querySelectorAll('svg.viz')).toHaveLength(sel.selectAll('svg.viz').size());
    expect(root.querySelectorAll('g.crop')).toHaveLength(input.trace.onet.inputs.length);
    expect(root.textContent).toContain('O-Net');
    // Figures keep their own viewBox, so coordinates are still the trace's.
    expect(root.querySelector('svg.viz')!.getAttribute('width')).not.toBeNull();
  });

  it(
    'keeps every word of the captions, the legends, the ' + 'details and the numbers, and no on-screen hint (bug 5)',
    async () => {
      const input = await fixtureInput();
      const sel = container().call(pnetKernelRenderer, input, {});
      const root = parse(panelToSvg(sel.node()!));
      const text = textOf(root);
      // The caption, wrapped onto lines but whole.
      for (const word of PNET_CAPTION.split(/\s+/)) expect(text).toContain(word);
      // No line runs past the page (1200 wide, 16 px margins): text wraps.
      for (const t of Array.from(root.querySelectorAll(':scope > text'))) {
        const size = Number(t.getAttribute('font-size'));
        expect(t.textContent!.length * size * 0.55).toBeLessThanOrEqual(1200 - 32 + size);
      }
      // Legends and the numbers of the details.
      expect(text).toMatch(/P\(face\)/);
      expect(text).toContain('x1 = ⌊(2x + 1) / s⌋');
      expect(text).toContain(sel.select('.kernel-info .kv .v').text());
      for (const caption of sel
        .selectAll<SVGSVGElement, unknown>('svg.viz')
        .nodes()
        .map((s) => s.dataset.caption!))
        for (const word of caption.split(/\s+/)) expect(text).toContain(word);
      // What only makes sense on screen is left out.
      expect(text).not.toMatch(/Hover or tap|Click|drag a box/i);
      // The level view at a readable width, not its 200-odd level pixels.
      const level = Array.from(root.querySelectorAll('svg.viz')).find(
        (s) => s.classList.contains('viz') && s.getAttribute('data-caption')!.startsWith('Level'),
      )!;
      expect(Number(level.getAttribute('width'))).toBeGreaterThanOrEqual(480);
    },
  );

  it('wraps long text into lines that fit', () => {
    const lines = wrapText('a '.repeat(300), 200, 10);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(Math.floor(200 / 5.5));
    expect(lines.join(' ').split(' ')).toHaveLength(300);
  });
});
