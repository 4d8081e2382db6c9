// @vitest-environment jsdom
import { regressPNet } from '@mtcnn/core/backend-kit';
import { describe, expect, it } from 'vitest';
import { container, rectBox } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { candidatesRenderer, type CandidatesState } from './candidates.js';

describe('candidatesRenderer', () => {
  it('draws each candidate window and, as a preview, its regressed box at the traced coordinates', async () => {
    const input = await fixtureInput();
    const sel = container().call(candidatesRenderer, input, { show: 'both' } satisfies CandidatesState);
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

describe('candidatesRenderer defaults', () => {
  it('shows the windows only: regression comes after NMS', async () => {
    const input = await fixtureInput();
    const sel = container().call(candidatesRenderer, input);
    expect(sel.selectAll('rect.kernel').size()).toBe(input.trace.pnet.candidates.length);
    expect(sel.selectAll('.regressions rect.regressed').size()).toBe(0);
  });

  it('says on how many levels windows passed, not how many levels there are (bug 8)', async () => {
    // A stricter P-Net threshold: only the levels where the fake face is a good fit keep windows.
    const input = await fixtureInput({ thresholds: [0.9, 0.7, 0.7] });
    const sel = container().call(candidatesRenderer, input, { focus: null } satisfies CandidatesState);
    const withAny = input.trace.pyramid.filter((l) => l.candidates > 0);
    expect(withAny.length).toBeLessThan(input.trace.pyramid.length);
    expect(sel.select('.details').text()).toContain(
      `on ${withAny.length} of ${input.trace.pyramid.length} levels ` +
        `(${withAny.map((l) => `L${l.index}: ${l.candidates}`).join(', ')})`,
    );
  });

  it('draws higher scores more opaque (bug 11)', async () => {
    const input = await fixtureInput();
    const sel = container().call(candidatesRenderer, input, { focus: null } satisfies CandidatesState);
    const cands = input.trace.pnet.candidates;
    const pairs = sel
      .selectAll<SVGRectElement, unknown>('rect.kernel')
      .nodes()
      .map((el) => [cands[Number(el.dataset.id)].score, Number(el.getAttribute('stroke-opacity'))] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < pairs.length; i++) expect(pairs[i][1]).toBeGreaterThanOrEqual(pairs[i - 1][1]);
    expect(pairs[pairs.length - 1][1]).toBeGreaterThan(pairs[0][1]);
  });
});
