// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { container, rectBox } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { nmsRenderer, type NmsState } from './nms.js';

describe('nmsRenderer', () => {
  it('shows per-level survivors vs suppressed', async () => {
    const input = await fixtureInput();
    const sel = container().call(nmsRenderer, input, { round: 'scale', level: 'all' } satisfies NmsState);
    const cands = input.trace.pnet.candidates;
    expect(sel.selectAll('rect.box.kept').size()).toBe(cands.filter((c) => c.scaleNms.kept).length);
    expect(sel.selectAll('rect.box.suppressed').size()).toBe(cands.filter((c) => !c.scaleNms.kept).length);
    for (const el of sel.selectAll<SVGRectElement, unknown>('rect.box').nodes())
      expect(rectBox(el)).toEqual(cands[Number(el.dataset.id)].box);
  });

  it('shows the cross-level round on the per-level survivors, with the squared boxes R-Net sees', async () => {
    const input = await fixtureInput();
    const sel = container().call(nmsRenderer, input, { round: 'cross', squared: true } satisfies NmsState);
    const pool = input.trace.pnet.candidates.filter((c) => c.scaleNms.kept);
    expect(sel.selectAll('rect.box').size()).toBe(pool.length);
    expect(sel.selectAll('rect.box.kept').size()).toBe(input.trace.counts.pnetNms);
    expect(sel.selectAll('rect.squared').size()).toBe(input.trace.counts.pnetNms);
  });

  it('shows which box suppressed a selected one, and their IoU', async () => {
    const input = await fixtureInput();
    const victim = input.trace.pnet.candidates.find((c) => c.crossNms && !c.crossNms.kept)!;
    const by = input.trace.pnet.candidates[victim.crossNms!.by!];
    const sel = container().call(nmsRenderer, input, { round: 'cross', selected: victim.id } satisfies NmsState);
    expect(rectBox(sel.select('rect.victim').node() as Element)).toEqual(victim.box);
    expect(rectBox(sel.select('rect.suppressor').node() as Element)).toEqual(by.box);
    expect(sel.select('.details').text()).toContain(
      `IoU ${victim.crossNms!.overlap!.toFixed(3)} > ${input.trace.options.nmsThresholds[1]}`,
    );
  });
});

describe('nmsRenderer defaults', () => {
  it('opens on the per-level round of the level that found the best face', async () => {
    const input = await fixtureInput();
    const state: NmsState = {};
    const sel = container().call(nmsRenderer, input, state);
    expect(state.round).toBe('scale');
    expect(typeof state.level).toBe('number');
    expect(sel.selectAll('rect.box').size()).toBe(
      input.trace.pnet.candidates.filter((c) => c.level === state.level).length,
    );
  });
});
