// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { container, rectBox } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { crossLevelNote, nmsRenderer, type NmsState } from './nms.js';

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

  it('shows the cross-level round on the per-level survivors', async () => {
    const input = await fixtureInput();
    const sel = container().call(nmsRenderer, input, { round: 'cross' } satisfies NmsState);
    const pool = input.trace.pnet.candidates.filter((c) => c.scaleNms.kept);
    expect(sel.selectAll('rect.box').size()).toBe(pool.length);
    expect(sel.selectAll('rect.box.kept').size()).toBe(input.trace.counts.pnetNms);
  });

  it('then regresses and squares the survivors: window, regressed and squared box of each (R-Net input)', async () => {
    const input = await fixtureInput();
    const survivors = input.trace.pnet.candidates.filter((c) => c.squared);
    const sel = container().call(nmsRenderer, input, {
      round: 'regress',
      selected: survivors[0].id,
    } satisfies NmsState);
    expect(sel.selectAll('.regress rect.squared').size()).toBe(input.trace.counts.pnetNms);
    for (const el of sel.selectAll<SVGRectElement, unknown>('.regress rect.squared').nodes()) {
      const c = input.trace.pnet.candidates[Number(el.dataset.id)];
      rectBox(el).forEach((v, i) => {
        expect(v).toBeCloseTo(c.squared![i], 4);
      });
    }
    // The selected one: its three boxes, and the numbers of both steps.
    expect(rectBox(sel.select('rect.focus-regressed').node() as Element)[0]).toBeCloseTo(survivors[0].regressed[0], 4);
    expect(sel.select('.details').text()).toContain('1 · regress');
    expect(sel.select('.details').text()).toContain('2 · square');
    expect(sel.select('.details').text()).toMatch(/after NMS, before squaring/);
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
    // The IoU drawn: the intersection shaded over both boxes, with the numbers that give it.
    const inter = rectBox(sel.select('rect.intersection').node() as Element);
    expect(inter).toEqual([
      Math.max(victim.box[0], by.box[0]),
      Math.max(victim.box[1], by.box[1]),
      Math.min(victim.box[2], by.box[2]),
      Math.min(victim.box[3], by.box[3]),
    ]);
    expect(sel.selectAll('.union rect').size()).toBe(2);
    expect(sel.select('.iou-numbers').text()).toMatch(/intersection ÷ union = [\d.,]+ px² ÷ \(/);
  });

  it('explains why the round across levels removes nothing at the default scale factor', () => {
    expect(crossLevelNote(0.709, 0.7, 0)).toMatch(
      /0\.709² ≈ 0\.50 IoU.*below the 0\.7 threshold.*removed nothing here/,
    );
    expect(crossLevelNote(0.9, 0.7, 3)).toMatch(/0\.81 IoU.*above the 0\.7 threshold/);
  });

  it('lets a kept box be picked where it overlaps a suppressed one, and cycles on a second click (bug 3)', async () => {
    const input = await fixtureInput();
    const all = input.trace.pnet.candidates;
    // A suppressed box and the kept box that suppressed it, in the per-level round of one level.
    const victim = all.find((c) => !c.scaleNms.kept && all[c.scaleNms.by!].scaleNms.kept)!;
    const kept = all[victim.scaleNms.by!];
    const state: NmsState = { round: 'scale', level: kept.level };
    const sel = container().call(nmsRenderer, input, state);
    // A point on the kept box's outline that lies well inside the suppressed box.
    const inside = (px: number, py: number): boolean =>
      px > victim.box[0] + 0.5 && px < victim.box[2] - 0.5 && py > victim.box[1] + 0.5 && py < victim.box[3] - 0.5;
    const [k1, k2, k3, k4] = kept.box;
    const edges: Array<[number, number]> = [];
    for (let t = 0; t <= 1; t += 0.05)
      edges.push(
        [k1 + t * (k3 - k1), k2],
        [k1 + t * (k3 - k1), k4],
        [k1, k2 + t * (k4 - k2)],
        [k3, k2 + t * (k4 - k2)],
      );
    const [x, y] = edges.find(([px, py]) => inside(px, py))!;
    const click = (): void => {
      (sel.select('.image-view svg').node() as SVGSVGElement).dispatchEvent(
        new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }),
      );
    };
    click();
    expect(state.selected).toBe(kept.id);
    expect(sel.select('.details').text()).toMatch(new RegExp(`Box #${kept.id} .* was kept and suppressed`));
    // Every box under the pointer is reachable: clicking again there picks the next one.
    click();
    expect(state.selected).not.toBe(kept.id);
  });

  it('fades the boxes a selection does not involve (bug 11)', async () => {
    const input = await fixtureInput();
    const victim = input.trace.pnet.candidates.find((c) => !c.scaleNms.kept)!;
    const sel = container().call(nmsRenderer, input, {
      round: 'scale',
      level: 'all',
      selected: victim.id,
    } satisfies NmsState);
    const dim = sel
      .selectAll<SVGRectElement, unknown>('rect.box.dim')
      .nodes()
      .map((el) => Number(el.dataset.id));
    expect(dim).not.toContain(victim.id);
    expect(dim).not.toContain(victim.scaleNms.by);
    expect(dim.length).toBe(
      sel.selectAll('rect.box').size() -
        2 -
        input.trace.pnet.candidates.filter((c) => c.scaleNms.by === victim.id).length,
    );
  });

  it('reaches every box from the keyboard: the view is a tab stop, arrows pick by score (bug 7)', async () => {
    const input = await fixtureInput();
    const state: NmsState = { round: 'scale', level: 'all' };
    const sel = container().call(nmsRenderer, input, state);
    const best = [...input.trace.pnet.candidates].sort((a, b) => b.score - a.score || a.id - b.id);
    const view = (): SVGSVGElement => sel.select('.image-view svg').node() as SVGSVGElement;
    expect(view().getAttribute('tabindex')).toBe('0');
    view().focus();
    view().dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(state.selected).toBe(best[0].id);
    view().dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(state.selected).toBe(best[1].id);
    view().dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(state.selected).toBe(best[best.length - 1].id);
    // The re-rendered view keeps the focus.
    expect(document.activeElement).toBe(view());
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
