// @vitest-environment jsdom
import type { StageTrace } from '@mtcnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFocus, lineageOf, rootOf } from './explain/lineage.js';
import { fixtureInput } from './fixture.test-util.js';
import type { VizInput } from './model.js';
import { realInput, sharedAvailable, warnSharedMissing } from './real-trace.test-util.js';
import { createViewer, type Viewer } from './viewer.js';

function key(k: string): void {
  document.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
}

function mount(): Viewer {
  document.body.innerHTML = '<div id="v"></div>';
  return createViewer(document.getElementById('v')!);
}

const $ = (sel: string): Element | null => document.querySelector(sel);
const text = (sel: string): string => $(sel)?.textContent ?? '';
/** The pressed chip of a chip row in the panel. */
const pressed = (label: string): string | null =>
  $(`.panel .chips[aria-label="${label}"] .chip[aria-pressed="true"]`)?.getAttribute('data-value') ?? null;
/** The P-Net panel's current cell, from its details. */
const pnetCell = (): [number, number] => {
  const m = /cell \((\d+), (\d+)\)/.exec(text('.kernel-info'))!;
  return [Number(m[1]), Number(m[2])];
};

/** A different picture for the viewer (it tells images apart by their href). */
const asImage = (input: VizInput, href: string): VizInput => ({ ...input, image: { ...input.image, href } });

describe('createViewer', () => {
  it('shows the strip and one panel, and moves between stages with the keyboard', async () => {
    const viewer = mount();
    viewer.update(await fixtureInput());
    const stage = (): string | null => $('.panel')!.getAttribute('data-stage');
    expect(document.querySelectorAll('.stage-card')).toHaveLength(6);
    expect(stage()).toBe('pyramid');
    key('ArrowRight');
    expect(stage()).toBe('pnet');
    expect($('.stage-card[aria-selected="true"]')!.getAttribute('data-stage')).toBe('pnet');
    key('5');
    expect(stage()).toBe('rnet');
    key('End');
    expect(stage()).toBe('onet');
    key('ArrowRight');
    expect(stage()).toBe('onet');
    key('Home');
    expect(stage()).toBe('pyramid');
    expect(location.hash).toBe('#pyramid');
  });

  it('ignores keys typed into a form field', async () => {
    document.body.innerHTML = '<input id="i"><div id="v"></div>';
    const viewer = createViewer(document.getElementById('v')!);
    viewer.update(await fixtureInput());
    viewer.select('pyramid');
    document.getElementById('i')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(viewer.stage).toBe('pyramid');
  });
});

describe('the journey: one lineage in every panel', () => {
  it('opens every panel on the most confident face, and follows a picked box everywhere', async () => {
    const viewer = mount();
    const input = await fixtureInput();
    viewer.update(input);
    const l = viewer.lineage!;
    expect(l).toEqual(lineageOf(input.trace, defaultFocus(input.trace)!));
    const check = (): void => {
      const cur = viewer.lineage!;
      viewer.select('pnet');
      expect(pressed('Level')).toBe(String(cur.pnet.level));
      expect(pnetCell()).toEqual(cur.pnet.cell);
      viewer.select('candidates');
      expect(text('.panel .details')).toContain(`#${cur.pnet.id} `);
      viewer.select('nms');
      expect(text('.panel .details')).toContain(`Box #${cur.pnet.id} `);
      viewer.select('rnet');
      expect($('.panel g.crop.selected')?.getAttribute('data-id')).toBe(cur.rnet ? String(cur.rnet.id) : undefined);
      if (cur.onet) {
        viewer.select('onet');
        expect($('.panel g.crop.selected')?.getAttribute('data-id')).toBe(String(cur.onet.id));
      }
    };
    check();
    // Another box: an R-Net crop that was rejected. Every panel now shows its chain.
    const other = input.trace.rnet.inputs.find((c) => !c.passed)!;
    viewer.pick({ stage: 'rnet', id: other.id });
    expect(viewer.lineage!.rnet!.id).toBe(other.id);
    expect(viewer.lineage!.pnet.id).toBe(other.source);
    check();
  });

  it('lists the steps with the ids as links; a link opens its stage with that box', async () => {
    const viewer = mount();
    const input = await fixtureInput();
    viewer.update(input);
    const l = viewer.lineage!;
    const steps = Array.from(document.querySelectorAll('.journey-step')).map((s) => s.getAttribute('data-step'));
    expect(steps).toEqual(['pnet', 'scale-nms', 'cross-nms', 'regress', 'rnet', 'onet', 'face']);
    expect(text('.journey-step[data-step="pnet"]')).toContain(`candidate #${l.pnet.id}`);
    expect(text('.journey-step[data-step="rnet"]')).toContain(`crop #${l.rnet!.id}`);
    (document.querySelector(`.journey-step[data-step="onet"] .ref-link`) as HTMLButtonElement).click();
    expect(viewer.stage).toBe('onet');
    expect($('.panel g.crop.selected')?.getAttribute('data-id')).toBe(String(l.onet!.id));
    // A suppressed box's step links the box that suppressed it.
    const victim = input.trace.rnet.inputs.find((c) => c.nms && !c.nms.kept)!;
    viewer.pick({ stage: 'rnet', id: victim.id });
    const by = document.querySelector(`.journey-step[data-step="rnet"] .ref-link[data-ref="rnet:${victim.nms!.by}"]`);
    expect(by).not.toBeNull();
    (by as HTMLButtonElement).click();
    expect(viewer.lineage!.rnet!.id).toBe(victim.nms!.by);
    expect(viewer.stage).toBe('rnet');
  });

  it(
    'keeps the picked box when the same image is detected ' + 'again with other thresholds (found by its P-Net window)',
    async () => {
      const viewer = mount();
      const input = await fixtureInput();
      viewer.update(input);
      const other = input.trace.pnet.candidates.find((c) => c.level === 2 && !c.scaleNms.kept)!;
      viewer.pick({ stage: 'pnet', id: other.id });
      const again = await fixtureInput({ thresholds: [0.6, 0.75, 0.7] });
      viewer.update(again);
      const l = viewer.lineage!;
      expect([l.pnet.level, ...l.pnet.cell]).toEqual([other.level, ...other.cell]);
      // A new image: back to its own best face.
      viewer.update(asImage(again, 'data:image/png;base64,AA=='));
      expect(viewer.lineage).toEqual(lineageOf(again.trace, defaultFocus(again.trace)!));
    },
  );

  it('answers a question about a region and follows the box that decided it', async () => {
    const viewer = mount();
    const input = await fixtureInput();
    viewer.update(input);
    const f = input.trace.faces[0].box;
    viewer.ask({ kind: 'box', box: [f[0], f[1], f[0] + f[2], f[1] + f[3]] });
    expect(text('.query-answer .query-summary')).toMatch(/^Detected: face 1/);
    expect(viewer.lineage!.face).toBe(0);
    // Its region is drawn on every image view.
    viewer.select('nms');
    expect($('.panel .query-region rect.asked')).not.toBeNull();
    (document.querySelector('.query-close') as HTMLButtonElement).click();
    expect($('.query-answer')!.hasAttribute('hidden')).toBe(true);
  });

  it('walks the six stages with one sentence each ("Start here")', async () => {
    const viewer = mount();
    viewer.update(await fixtureInput());
    (document.querySelector('.tour-start') as HTMLButtonElement).click();
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      expect(text('.tour-count')).toContain(`${i + 1} of 6`);
      expect(text('.tour-text').split('. ').length).toBeLessThanOrEqual(2);
      seen.push(viewer.stage);
      (document.querySelector('.tour-next') as HTMLButtonElement).click();
    }
    expect(seen).toEqual(['pyramid', 'pnet', 'candidates', 'nms', 'rnet', 'onet']);
    expect($('.tour')).toBeNull();
  });

  it('gives the focus back to a chip after its panel re-renders (bug 7: Enter on a level chip)', async () => {
    const viewer = mount();
    viewer.update(await fixtureInput());
    viewer.select('pnet');
    const chip = document.querySelector('.panel .chips[aria-label="Level"] .chip[data-value="1"]') as HTMLButtonElement;
    chip.focus();
    chip.click(); // what Enter on a focused button does
    expect(pressed('Level')).toBe('1');
    expect((document.activeElement as HTMLElement).dataset.focusKey).toBe('chip:Level:1');
    expect(document.activeElement).not.toBe(chip); // a new element: the panel was redrawn
  });
});

if (!sharedAvailable) warnSharedMissing('the viewer on the dev images');
describe.skipIf(!sharedAvailable)('the viewer on real detections', () => {
  let multiface: VizInput;
  let noFaces: VizInput;
  let bbt1: VizInput;
  beforeAll(async () => {
    [multiface, noFaces, bbt1] = await Promise.all([
      realInput('multiface.jpg').then((i) => asImage(i, 'multiface')),
      realInput('no-faces.jpg').then((i) => asImage(i, 'no-faces')),
      realInput('bbt1_1920x1080.jpg').then((i) => asImage(i, 'bbt1')),
    ]);
  });

  /** The P value the P-Net panel shows, and the threshold. */
  const shownP = (trace: StageTrace): number => {
    const [x, y] = pnetCell();
    const l = trace.pyramid[Number(pressed('Level'))];
    return l.prob[y * l.mapWidth + x];
  };

  it("opens every panel of a new image on that image's best box, not the last image's level and cell (bug 1)", () => {
    const viewer = mount();
    viewer.update(multiface);
    viewer.select('pnet');
    (document.querySelector('.panel .chips[aria-label="Level"] .chip[data-value="3"]') as HTMLButtonElement).click();
    viewer.select('nms');
    (document.querySelector('.panel .chips[aria-label="Level"] .chip[data-value="3"]') as HTMLButtonElement).click();
    expect(pressed('Level')).toBe('3');

    viewer.update(noFaces);
    const focus = rootOf(noFaces.trace, defaultFocus(noFaces.trace)!)!;
    const withCandidates = noFaces.trace.pyramid.filter((l) => l.candidates > 0).map((l) => l.index);
    expect(withCandidates).toContain(focus.level);
    // NMS opens on the level of the box that got furthest, which had candidates.
    expect(pressed('Level')).toBe(String(focus.level));
    expect(text('.panel .chips[aria-label="Level"] .chip[aria-pressed="true"]')).not.toMatch(/→0$/);
    viewer.select('pnet');
    expect(pressed('Level')).toBe(String(focus.level));
    expect(pnetCell()).toEqual(focus.cell);
    expect(shownP(noFaces.trace)).toBeGreaterThanOrEqual(noFaces.trace.options.thresholds[0]);

    viewer.update(bbt1);
    viewer.select('pnet');
    const best = rootOf(bbt1.trace, defaultFocus(bbt1.trace)!)!;
    expect([Number(pressed('Level')), ...pnetCell()]).toEqual([best.level, ...best.cell]);
    // Its own window's P (a candidate), not P = 0.000 in a cell of the last image's level.
    expect(shownP(bbt1.trace)).toBe(best.score);
    expect(best.score).toBeGreaterThanOrEqual(bbt1.trace.options.thresholds[0]);
  });

  it('opens P-Net and Candidates on the same face (bug 2)', () => {
    const viewer = mount();
    viewer.update(multiface);
    const l = viewer.lineage!;
    expect(l.face).toBeDefined();
    expect(multiface.trace.faces[l.face!].confidence).toBe(Math.max(...multiface.trace.faces.map((f) => f.confidence)));
    viewer.select('pnet');
    expect(pnetCell()).toEqual(l.pnet.cell);
    viewer.select('candidates');
    expect(text('.panel .details')).toContain(`#${l.pnet.id} · level ${l.pnet.level} `);
    expect(text('.panel .details')).toContain(`cell (${l.pnet.cell[0]}, ${l.pnet.cell[1]})`);
  });
});
