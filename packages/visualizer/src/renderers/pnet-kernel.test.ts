// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { container, num, rectBox } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { kernelImageBox } from '../geometry.js';
import { defaultLevel, pnetKernelRenderer, type PNetKernelState } from './pnet-kernel.js';

describe('pnetKernelRenderer', () => {
  it('aligns the heat map to the level and puts the window at (2x, 2y)', async () => {
    const input = await fixtureInput();
    const state: PNetKernelState = { level: 1, cell: [2, 3] };
    const sel = container().call(pnetKernelRenderer, input, state);
    const l = input.trace.pyramid[1];
    const svg = sel.select('.level-view svg').node() as SVGSVGElement;
    expect(svg.getAttribute('viewBox')).toBe(`-2 -2 ${l.width + 4} ${l.height + 4}`);
    const heat = sel.select('image.heat').node() as Element;
    // One cell = 2 level pixels, drawn at the centre of its 12x12 window: [2x + 5, 2x + 7).
    expect([num(heat, 'x'), num(heat, 'y'), num(heat, 'width'), num(heat, 'height')]).toEqual([
      5,
      5,
      2 * l.mapWidth,
      2 * l.mapHeight,
    ]);
    expect(rectBox(sel.select('rect.kernel').node() as Element)).toEqual([4, 6, 16, 18]);
    expect(rectBox(sel.select('rect.kernel-image').node() as Element)).toEqual(kernelImageBox(l, [2, 3]));
    const p = l.prob[3 * l.mapWidth + 2];
    expect(sel.select('.kernel-info').text()).toContain(p.toFixed(3));
    expect(sel.selectAll('.chips[aria-label="Level"] .chip').size()).toBe(input.trace.pyramid.length);
  });

  it('steps the window one stride and wraps to the next row', async () => {
    const input = await fixtureInput();
    const l = input.trace.pyramid[0];
    const state: PNetKernelState = { level: 0, cell: [l.mapWidth - 1, 0] };
    const sel = container().call(pnetKernelRenderer, input, state);
    (sel.select('button.step').node() as HTMLButtonElement).click();
    expect(state.cell).toEqual([0, 1]);
    expect(rectBox(sel.select('rect.kernel').node() as Element)).toEqual([0, 2, 12, 14]);
    (sel.select('button.step').node() as HTMLButtonElement).click();
    expect(rectBox(sel.select('rect.kernel').node() as Element).slice(0, 2)).toEqual([2, 2]);
  });

  it('starts on the level that found the best face, at its most face-like cell', async () => {
    const input = await fixtureInput();
    const state: PNetKernelState = {};
    container().call(pnetKernelRenderer, input, state);
    expect(state.level).toBe(defaultLevel(input.trace));
    const l = input.trace.pyramid[state.level!];
    const max = Math.max(...l.prob);
    expect(l.prob[state.cell![1] * l.mapWidth + state.cell![0]]).toBe(max);
  });
});
