// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { container, num, rectBox } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { kernelImageBox } from '../geometry.js';
import { PNET } from '@mtcnn/models';
import { bestFacePath, fmt } from '../model.js';
import { candidatesRenderer, type CandidatesState } from './candidates.js';
import { defaultLevel, pnetKernelRenderer, SLOW_RATE, sweepRate, type PNetKernelState } from './pnet-kernel.js';

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
    expect(sel.select('.kernel-info').text()).toContain(fmt.score(p));
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

  it("starts on the best face's own window, the one the Candidates panel focuses (bug 2)", async () => {
    const input = await fixtureInput();
    const state: PNetKernelState = {};
    container().call(pnetKernelRenderer, input, state);
    expect(state.level).toBe(defaultLevel(input.trace));
    const best = bestFacePath(input.trace).pnet!;
    expect([state.level, ...state.cell!]).toEqual([best.level, ...best.cell]);
    const cstate: CandidatesState = {};
    container().call(candidatesRenderer, input, cstate);
    expect(cstate.focus).toBe(best.id);
  });

  it('shows the mapping back with the numbers that give the box: floor((2x+1)/s) .. floor((2x+12)/s)', async () => {
    const input = await fixtureInput();
    const l = input.trace.pyramid[1];
    const sel = container().call(pnetKernelRenderer, input, { level: 1, cell: [4, 2] } satisfies PNetKernelState);
    const box = kernelImageBox(l, [4, 2]);
    const s = Math.fround(l.scale);
    const text = sel.select('.kernel-info').text();
    // x1 from 2*4 + 1 = 9, x2 from 2*4 + 12 = 20, y1 from 5, y2 from 16: each quotient floors to the box.
    for (const [num, v] of [
      [9, box[0]],
      [20, box[2]],
      [5, box[1]],
      [16, box[3]],
    ] as const) {
      const q = Math.floor(Math.fround(num / s) * 100) / 100;
      expect(text).toContain(`⌊${num} / ${s.toPrecision(6)}⌋ = ⌊${q.toFixed(2)}⌋ = ${v}`);
      expect(Math.floor(q)).toBe(v);
    }
  });

  it("draws a candidate's two outputs: P, and its 4 offsets as arrows to the regressed box", async () => {
    const input = await fixtureInput();
    const c = input.trace.pnet.candidates[0];
    const sel = container().call(pnetKernelRenderer, input, { level: c.level, cell: c.cell } satisfies PNetKernelState);
    expect(sel.selectAll('.offset-arrows line.offset-arrow').size()).toBe(4);
    const reg = rectBox(sel.select('rect.kernel-regressed').node() as Element);
    reg.forEach((v, i) => {
      expect(v).toBeCloseTo(c.regressed[i], 4);
    });
    const dx1 = sel.select('.offset-arrows line.dx1').node() as Element;
    expect([num(dx1, 'x1'), num(dx1, 'x2')]).toEqual([c.box[0], c.regressed[0]]);
    expect(sel.select('.outputs-view .p-value').text()).toBe(fmt.score(c.score));
    expect(sel.selectAll('.outputs-view line.offset-arrow').size()).toBe(4);
  });

  it('builds the heat map cell by cell when a sweep starts, over about 20 s at the default speed', async () => {
    const input = await fixtureInput();
    const l = input.trace.pyramid[0];
    const total = l.mapWidth * l.mapHeight;
    expect(sweepRate(20, total) * 20_000).toBeCloseTo(total, 6);
    expect(sweepRate('slow', total)).toBe(SLOW_RATE / 1000);
    const state: PNetKernelState = { level: 0 };
    const sel = container().call(pnetKernelRenderer, input, state);
    expect(sel.select('image.heat').attr('clip-path')).toBeNull(); // paused: the whole map
    (sel.select('button.play').node() as HTMLButtonElement).click();
    // A fresh sweep: from the first window, the map hidden beyond it.
    expect(state.playing).toBe(true);
    expect(state.cell).toEqual([0, 0]);
    expect(state.built).toBe(0);
    expect(sel.select('image.heat').attr('clip-path')).toMatch(/^url\(#heat-built-/);
    (sel.select('button.play').node() as HTMLButtonElement).click();
    expect(state.playing).toBe(false);
    (sel.select('button.step').node() as HTMLButtonElement).click();
    expect(state.built).toBe(2);
    expect(Number(sel.select('clipPath rect.row').attr('width'))).toBe(2 * 2);
  });

  it('draws P-Net from the architecture data, with the output heads lit', async () => {
    const input = await fixtureInput();
    const sel = container().call(pnetKernelRenderer, input, {});
    expect(sel.selectAll('.network-pnet g.layer').size()).toBe(PNET.trunk.length);
    expect(sel.selectAll('.network-pnet g.head').size()).toBe(PNET.heads.length);
    expect(sel.selectAll('.network-pnet g.head.active').size()).toBe(PNET.heads.length);
  });
});
