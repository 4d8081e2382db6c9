// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { container } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { STAGE_IDS, stripRenderer } from './strip.js';

describe('stripRenderer', () => {
  it('shows one card per stage with the trace counts and timings', async () => {
    const input = await fixtureInput();
    const onSelect = vi.fn();
    const sel = container().call(stripRenderer, input, { active: 'nms', onSelect });
    const cards = sel.selectAll<HTMLButtonElement, unknown>('button.stage-card').nodes();
    expect(cards.map((c) => c.dataset.stage)).toEqual(STAGE_IDS);
    const count = (id: string): number => Number(sel.select(`[data-stage="${id}"] .count`).attr('data-count'));
    const c = input.trace.counts;
    expect([count('pyramid'), count('candidates'), count('nms'), count('rnet'), count('onet')]).toEqual([
      c.scales,
      c.pnet,
      c.pnetNms,
      c.rnetNms,
      c.faces,
    ]);
    expect(count('pnet')).toBe(input.trace.pyramid.reduce((s, l) => s + l.mapWidth * l.mapHeight, 0));
    expect(sel.select('[data-stage="rnet"] .ms').text()).toBe(
      `${input.trace.timings.rnet < 10 ? input.trace.timings.rnet.toFixed(1) : input.trace.timings.rnet.toFixed(0)} ms`,
    );
    expect(sel.select('.faces-count').text()).toBe(String(c.faces));
    expect(sel.select('[aria-selected="true"]').attr('data-stage')).toBe('nms');
    cards[4].click();
    expect(onSelect).toHaveBeenCalledWith('rnet');
  });

  it('says which networks re-ran and which answered from the cache', async () => {
    const input = await fixtureInput();
    input.run = {
      backend: 'fake',
      networks: { pnet: { ran: 0, cached: 3 }, rnet: { ran: 2, cached: 7 }, onet: { ran: 0, cached: 2 } },
    };
    const sel = container().call(stripRenderer, input, {});
    expect(sel.select('[data-stage="pnet"] .rerun').text()).toBe('network cached');
    expect(sel.select('[data-stage="rnet"] .rerun').text()).toBe('network ran 2, 7 cached');
  });
});

describe('stripRenderer wording (bug 8)', () => {
  it('says plainly how many boxes passed each threshold and how many are left', async () => {
    const input = await fixtureInput();
    const sel = container().call(stripRenderer, input, {});
    const c = input.trace.counts;
    const t = input.trace.options.thresholds;
    expect(sel.select('[data-stage="rnet"] .unit').text()).toBe('boxes left for O-Net');
    expect(sel.select('[data-stage="rnet"] .passed').text()).toBe(`${c.rnet} of ${c.pnetNms} scored > ${t[1]}`);
    expect(sel.select('[data-stage="onet"] .passed').text()).toBe(`${c.onet} of ${c.rnetNms} scored > ${t[2]}`);
    expect(sel.select('.strip').text()).not.toMatch(/kept \(\d+ >/);
  });
});
