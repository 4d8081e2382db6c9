// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { container } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { faceLevels, MAX_ZOOM, pyramidRenderer } from './pyramid.js';

describe('pyramidRenderer', () => {
  it('draws one group per level at the level size, with its scale and pixel size', async () => {
    const input = await fixtureInput();
    const sel = container().call(pyramidRenderer, input);
    const levels = sel.selectAll<SVGGElement, unknown>('g.level').nodes();
    expect(levels).toHaveLength(input.trace.pyramid.length);
    levels.forEach((g, k) => {
      const l = input.trace.pyramid[k];
      const img = g.querySelector('image')!;
      expect(Number(img.getAttribute('width'))).toBe(l.width);
      expect(Number(img.getAttribute('height'))).toBe(l.height);
      expect(g.textContent).toContain(`${l.width} × ${l.height} px`);
      expect(g.textContent).toContain(`×${l.scale.toFixed(3)}`);
    });
    // The original's outline is drawn at image size, so the relative sizes are true.
    const orig = sel.select('g.original rect').node() as Element;
    expect(Number(orig.getAttribute('width'))).toBe(input.trace.image.width);
    expect(sel.select('.panel-title').text()).toMatch(/pyramid/i);
  });

  it('lays levels out without overlap and reports clicks', async () => {
    const input = await fixtureInput();
    const onPickLevel = vi.fn();
    const sel = container().call(pyramidRenderer, input, { onPickLevel });
    const boxes = sel
      .selectAll<SVGGElement, unknown>('g.level, g.original')
      .nodes()
      .map((g, i) => {
        const [, x, y] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform')!)!.map(Number);
        const w = i === 0 ? input.trace.image.width : input.trace.pyramid[i - 1].width;
        const h = i === 0 ? input.trace.image.height : input.trace.pyramid[i - 1].height;
        return [x, y, x + w, y + h];
      });
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        expect(a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1]).toBe(true);
      }
    }
    (sel.select('g.level[data-level="1"]').node() as SVGGElement).dispatchEvent(
      new MouseEvent('click', { bubbles: true }),
    );
    expect(onPickLevel).toHaveBeenCalledWith(1);
  });
});

describe('pyramidRenderer sizes', () => {
  it('draws a tiny image at most MAX_ZOOM screen pixels per pixel, labels at a readable size (bug 6)', async () => {
    const tiny = { data: new Uint8Array(15 * 15 * 3).fill(128), width: 15, height: 15 };
    const input = await fixtureInput({ minFaceSize: 12 }, tiny);
    expect(input.trace.pyramid.length).toBe(1);
    const sel = container().call(pyramidRenderer, input);
    const svg = sel.select('svg.viz').node() as SVGSVGElement;
    const [, , vbW] = svg.getAttribute('viewBox')!.split(' ').map(Number);
    const maxWidth = Number.parseFloat(svg.style.maxWidth);
    // At most 6 screen px per level pixel: a 15 px image is not blown up to the page's width.
    expect(maxWidth).toBeLessThanOrEqual(Math.ceil(vbW * MAX_ZOOM));
    expect(maxWidth).toBeLessThan(600);
    const zoom = Number(svg.dataset.zoom);
    const font = Number(sel.select('g.level text').attr('font-size'));
    expect(font * zoom).toBeCloseTo(12.5, 1);
  });

  it('says at which level each final face is about 12 px tall', async () => {
    const input = await fixtureInput();
    const sel = container().call(pyramidRenderer, input);
    const levels = faceLevels(input.trace);
    expect(levels).toHaveLength(input.trace.faces.length);
    for (const f of levels) {
      expect(f.scaled).toBeCloseTo(f.height * input.trace.pyramid[f.level].scale, 6);
      expect(sel.select('.face-levels').text()).toContain(
        `face ${f.face + 1} (${Math.round(f.height)} px tall) on L${f.level}`,
      );
    }
  });
});
