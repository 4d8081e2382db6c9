// @vitest-environment jsdom
import { regressPNet } from '@mtcnn/core/backend-kit';
import { describe, expect, it } from 'vitest';
import { container, rectBox } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { candidatesRenderer, type CandidatesState } from './candidates.js';

describe('candidatesRenderer', () => {
  it('draws each candidate window and its regressed box at the traced coordinates', async () => {
    const input = await fixtureInput();
    const sel = container().call(candidatesRenderer, input);
    const cands = input.trace.pnet.candidates;
    expect(sel.selectAll('rect.kernel').size()).toBe(cands.length);
    expect(sel.selectAll('rect.regressed').size()).toBe(cands.length);
    for (const el of sel.selectAll<SVGRectElement, unknown>('rect.kernel').nodes()) {
      expect(rectBox(el)).toEqual(cands[Number(el.dataset.id)].box);
    }
    for (const el of sel.selectAll<SVGRectElement, unknown>('rect.regressed').nodes()) {
      const c = cands[Number(el.dataset.id)];
      const want = c.regressed ?? regressPNet(c.box, c.offsets);
      rectBox(el).forEach((v, i) => {
        expect(v).toBeCloseTo(want[i], 4);
      });
    }
  });

  it('filters by level and shows the focused candidate', async () => {
    const input = await fixtureInput();
    const c = input.trace.pnet.candidates.find((x) => x.level === 2)!;
    const state: CandidatesState = { level: 2, show: 'kernel', focus: c.id };
    const sel = container().call(candidatesRenderer, input, state);
    expect(sel.selectAll('rect.kernel').size()).toBe(input.trace.pyramid[2].candidates);
    expect(sel.selectAll('rect.regressed').size()).toBe(0);
    expect(rectBox(sel.select('rect.focus-kernel').node() as Element)).toEqual(c.box);
    expect(sel.select('.details').text()).toContain(`#${c.id}`);
  });
});
