// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { container, rectBox } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { RNET } from '@mtcnn/models';
import { COLORS } from '../colors.js';
import { cropStatus } from '../model.js';
import { realInput, sharedAvailable, warnSharedMissing } from '../real-trace.test-util.js';
import { rnetRenderer, type RNetState } from './rnet.js';

/** IoU of two [x1, y1, x2, y2] boxes, written out here so that it does not come from the code under test. */
function iou(a: readonly number[], b: readonly number[]): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  return (w * h) / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h);
}

describe('rnetRenderer', () => {
  it('draws one crop per R-Net input, best first, with its status and score', async () => {
    const input = await fixtureInput();
    const inputs = input.trace.rnet.inputs;
    const sel = container().call(rnetRenderer, input);
    const crops = sel.selectAll<SVGGElement, unknown>('g.crop').nodes();
    expect(crops).toHaveLength(inputs.length);
    const scores = crops.map((g) => inputs[Number(g.dataset.id)].score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const g of crops) {
      const c = inputs[Number(g.dataset.id)];
      expect(g.dataset.status).toBe(cropStatus(c));
      expect(g.querySelector('text.score')!.textContent).toContain(c.score.toFixed(3));
    }
    for (const s of ['kept', 'suppressed', 'rejected'] as const) {
      expect(sel.selectAll(`g.crop[data-status="${s}"]`).size()).toBe(inputs.filter((c) => cropStatus(c) === s).length);
    }
  });

  it('draws the regressed and squared boxes of the kept crops on the image', async () => {
    const input = await fixtureInput();
    const sel = container().call(rnetRenderer, input);
    const kept = input.trace.rnet.inputs.filter((c) => cropStatus(c) === 'kept');
    expect(sel.selectAll('g.crop-box.kept rect.regressed').size()).toBe(kept.length);
    for (const el of sel.selectAll<SVGRectElement, unknown>('g.crop-box.kept rect.squared').nodes()) {
      const c = input.trace.rnet.inputs[Number((el.parentNode as SVGGElement).dataset.id)];
      expect(rectBox(el)[0]).toBeCloseTo(c.squared![0], 4);
      expect(rectBox(el)[3]).toBeCloseTo(c.squared![3], 4);
    }
  });

  it('hatches the part of a zero-padded crop that lies outside the image', async () => {
    const input = await fixtureInput();
    const edge = input.trace.rnet.inputs.find(
      (c) =>
        c.window.x0 < 0 ||
        c.window.y0 < 0 ||
        c.window.x1 > input.trace.image.width ||
        c.window.y1 > input.trace.image.height,
    );
    expect(edge).toBeDefined();
    const sel = container().call(rnetRenderer, input);
    const g = sel.select(`g.crop[data-id="${edge!.id}"]`).node() as SVGGElement;
    expect(g.querySelectorAll('rect.pad').length).toBeGreaterThan(0);
    const inside = input.trace.rnet.inputs.find(
      (c) => c.window.x0 >= 0 && c.window.y0 >= 0 && c.window.x1 <= 60 && c.window.y1 <= 40,
    );
    if (inside)
      expect(
        (sel.select(`g.crop[data-id="${inside.id}"]`).node() as SVGGElement).querySelectorAll('rect.pad').length,
      ).toBe(0);
  });

  it('filters by status and explains a suppressed crop', async () => {
    const input = await fixtureInput();
    const victim = input.trace.rnet.inputs.find((c) => cropStatus(c) === 'suppressed')!;
    const state: RNetState = { filter: 'suppressed', selected: victim.id };
    const sel = container().call(rnetRenderer, input, state);
    expect(sel.selectAll('g.crop').size()).toBe(
      input.trace.rnet.inputs.filter((c) => cropStatus(c) === 'suppressed').length,
    );
    expect(sel.select('.details').text()).toContain(`suppressed by #${victim.nms!.by}`);
    expect(sel.select('.details').text()).toContain(victim.nms!.overlap!.toFixed(3));
  });
});

describe('rnetRenderer selection', () => {
  it('selects a crop when its cell is clicked and outlines its box on the image', async () => {
    const input = await fixtureInput();
    const c = input.trace.rnet.inputs[2];
    const state: RNetState = {};
    const sel = container().call(rnetRenderer, input, state);
    (sel.select(`g.crop[data-id="${c.id}"] rect.hit`).node() as SVGRectElement).dispatchEvent(
      new MouseEvent('click', { bubbles: true }),
    );
    expect(state.selected).toBe(c.id);
    expect(sel.select('.details').text()).toContain(`#${c.id}`);
    expect(rectBox(sel.select('rect.focus-box').node() as Element)).toEqual(c.box);
  });
});

describe('rnetRenderer legend and keyboard', () => {
  it('names every colour it draws: regressed (blue) and squared (violet) included (bug 4)', async () => {
    const input = await fixtureInput();
    const sel = container().call(rnetRenderer, input);
    const items = sel
      .selectAll<HTMLLIElement, unknown>('.legend li')
      .nodes()
      .map((li) => [li.querySelector<HTMLElement>('.swatch')!.style.getPropertyValue('--swatch'), li.textContent]);
    for (const color of [COLORS.kept, COLORS.suppressed, COLORS.rejected, COLORS.regressed, COLORS.squared])
      expect(items.map(([c]) => c)).toContain(color);
    expect(items.find(([c]) => c === COLORS.regressed)![1]).toMatch(/regressed/);
    expect(items.find(([c]) => c === COLORS.squared)![1]).toMatch(/squared/);
    // ... and the image view really draws those two colours.
    expect(sel.select('rect.regressed').attr('stroke')).toBe(COLORS.regressed);
    expect(sel.select('rect.squared').attr('stroke')).toBe(COLORS.squared);
  });

  it('reaches every crop from the keyboard: each is a button, Enter selects it (bug 7)', async () => {
    const input = await fixtureInput();
    const state: RNetState = {};
    const sel = container().call(rnetRenderer, input, state);
    const crops = sel.selectAll<SVGGElement, unknown>('g.crop').nodes();
    expect(crops.every((g) => g.getAttribute('tabindex') === '0' && g.getAttribute('role') === 'button')).toBe(true);
    const target = crops[3];
    const id = Number(target.dataset.id);
    target.focus();
    target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(state.selected).toBe(id);
    // The panel re-rendered: the focus is on the same crop, not on <body>.
    expect((document.activeElement as SVGGElement | null)?.dataset.id).toBe(String(id));
  });

  it('draws R-Net from the architecture data', async () => {
    const input = await fixtureInput();
    const sel = container().call(rnetRenderer, input);
    expect(sel.selectAll('.network-rnet g.layer').size()).toBe(RNET.trunk.length);
    expect(sel.selectAll('.network-rnet g.head').size()).toBe(RNET.heads.length);
    expect(sel.selectAll('.network-rnet g.layer[data-kind="conv"]').size()).toBe(
      RNET.trunk.filter((l) => l.kind === 'conv').length,
    );
  });
});

if (!sharedAvailable) warnSharedMissing('R-Net surprises on multiface.jpg');
describe('rnetRenderer surprises explained (issue 14 item 5)', () => {
  it.skipIf(!sharedAvailable)('says why near-duplicates reach O-Net, with the pairs of the trace', async () => {
    const input = await realInput('multiface.jpg');
    const o = input.trace.onet.inputs;
    const thr = input.trace.options.nmsThresholds[2];
    let pairs = 0;
    for (let i = 0; i < o.length; i++)
      for (let j = i + 1; j < o.length; j++) if (iou(o[i].box, o[j].box) > thr) pairs++;
    expect(pairs).toBeGreaterThan(0);
    const sel = container().call(rnetRenderer, input);
    const note = sel
      .selectAll<HTMLElement, unknown>('.details .surprise')
      .nodes()
      .map((n) => n.textContent ?? '')
      .find((t) => t.startsWith('Why near-duplicates reach O-Net'));
    expect(note).toBeDefined();
    expect(note).toContain(`${pairs} pairs of O-Net inputs overlap by more than IoU ${thr}`);
    // The example pair named is one of them, with its IoU.
    const [, a, b, v] = /e\.g\. #(\d+) and #(\d+), ([\d.]+)/.exec(note!)!;
    const measured = iou(o[Number(a)].box, o[Number(b)].box);
    expect(measured).toBeGreaterThan(thr);
    expect(Number(v)).toBeCloseTo(measured, 2);
  });

  it('says nothing about near-duplicates when O-Net got none', async () => {
    const input = await fixtureInput();
    const sel = container().call(rnetRenderer, input);
    expect(sel.select('.details').text()).not.toContain('near-duplicates');
  });

  it('says what the border mode did to a selected crop that leaves the image', async () => {
    const expected = { 'grey-pad': /mid-grey/, 'zero-pad': /black/, stretch: /stretched to the full square/ } as const;
    for (const mode of ['grey-pad', 'zero-pad', 'stretch'] as const) {
      const input = await fixtureInput({ borderMode: mode });
      const { width: W, height: H } = input.trace.image;
      const out = input.trace.rnet.inputs.find((c) => c.box[0] < 0 || c.box[1] < 0 || c.box[2] > W || c.box[3] > H)!;
      const inside = input.trace.rnet.inputs.find(
        (c) => c.box[0] >= 0 && c.box[1] >= 0 && c.box[2] <= W && c.box[3] <= H,
      );
      const note = (id: number): string =>
        container()
          .call(rnetRenderer, input, { selected: id })
          .selectAll<HTMLElement, unknown>('.details .surprise')
          .nodes()
          .map((n) => n.textContent ?? '')
          .join(' ');
      expect(note(out.id), mode).toMatch(new RegExp(`This box leaves the image\\. ${mode}: `));
      expect(note(out.id), mode).toMatch(expected[mode]);
      if (inside) expect(note(inside.id), mode).not.toContain('leaves the image');
    }
  });
});
