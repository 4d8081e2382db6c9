// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { container, num, rectBox } from '../dom.test-util.js';
import { fixtureInput } from '../fixture.test-util.js';
import { ONET } from '@mtcnn/models';
import { LANDMARK_COLORS } from '../colors.js';
import { onetRenderer } from './onet.js';

describe('onetRenderer', () => {
  it('draws one 48x48 crop per O-Net input', async () => {
    const input = await fixtureInput();
    const sel = container().call(onetRenderer, input);
    expect(sel.selectAll('g.crop').size()).toBe(input.trace.onet.inputs.length);
    const frame = sel.select('g.crop rect.frame').node() as Element;
    expect(num(frame, 'width')).toBe(48 * 1.5 + 2);
  });

  it('draws the final faces with their five landmarks where the trace puts them', async () => {
    const input = await fixtureInput();
    const sel = container().call(onetRenderer, input);
    const faces = sel.selectAll<SVGRectElement, unknown>('rect.face').nodes();
    expect(faces).toHaveLength(input.trace.counts.faces);
    expect(sel.selectAll('circle.landmark').size()).toBe(5 * input.trace.counts.faces);
    for (const el of faces) {
      const c = input.trace.onet.inputs[Number((el.parentNode as SVGGElement).dataset.id)];
      rectBox(el).forEach((v, i) => {
        expect(v).toBeCloseTo(c.regressed![i], 4);
      });
      const dots = (el.parentNode as SVGGElement).querySelectorAll('circle.landmark');
      dots.forEach((d, k) => {
        expect(num(d, 'cx')).toBeCloseTo(c.landmarks![k][0], 4);
        expect(num(d, 'cy')).toBeCloseTo(c.landmarks![k][1], 4);
      });
    }
    // The final faces are the trace's faces (xywh by default).
    const [x, y, w] = input.trace.faces[0].box;
    const r = rectBox(faces[0]);
    expect([r[0], r[1], r[2] - r[0]].map((v) => v.toFixed(3))).toEqual([x, y, w].map((v) => v.toFixed(3)));
  });
});

describe('onetRenderer result and legend', () => {
  it(
    'shows the result first and large: every face numbered, ' + 'a list, and the JSON detect() returns (bug 12)',
    async () => {
      const input = await fixtureInput();
      const sel = container().call(onetRenderer, input);
      const result = sel.select('.result').node() as HTMLElement;
      // Before the crops.
      expect(
        result.compareDocumentPosition(sel.select('.crop-grid').node() as Node) & Node.DOCUMENT_POSITION_FOLLOWING,
      ).toBeTruthy();
      expect(sel.selectAll('.result rect.result-face').size()).toBe(input.trace.faces.length);
      expect(sel.selectAll('.result circle.result-landmark').size()).toBe(5 * input.trace.faces.length);
      const rows = sel.selectAll('.result-list tbody tr').size();
      expect(rows).toBe(input.trace.faces.length);
      expect(JSON.parse(sel.select('.result-json pre').text())).toEqual(JSON.parse(JSON.stringify(input.trace.faces)));
      // One figure of its own, not a column next to the crops.
      expect((sel.select('.result-view').node() as HTMLElement).parentElement!.classList.contains('result-views')).toBe(
        true,
      );
    },
  );

  it('names the landmark colours and the final box in its legend (bug 4)', async () => {
    const input = await fixtureInput();
    const sel = container().call(onetRenderer, input);
    const text = sel.select('.legend').text();
    for (const name of ['left eye', 'right eye', 'nose', 'mouth left', 'mouth right']) expect(text).toContain(name);
    const swatches = sel
      .selectAll<HTMLElement, unknown>('.legend .swatch.dot')
      .nodes()
      .map((s) => s.style.getPropertyValue('--swatch'));
    expect(swatches).toEqual([...LANDMARK_COLORS]);
  });

  it('draws O-Net from the architecture data: 3 heads, landmarks included', async () => {
    const input = await fixtureInput();
    const sel = container().call(onetRenderer, input);
    expect(sel.selectAll('.network-onet g.layer').size()).toBe(ONET.trunk.length);
    expect(
      sel
        .selectAll('.network-onet g.head')
        .nodes()
        .map((h) => (h as SVGGElement).dataset.output),
    ).toEqual(['prob', 'reg', 'landmarks']);
  });
});

describe('onetRenderer crops', () => {
  it("draws the five landmarks on each passed crop, where they fall in the crop's window", async () => {
    const input = await fixtureInput();
    const sel = container().call(onetRenderer, input);
    const passed = input.trace.onet.inputs.filter((c) => c.passed);
    expect(sel.selectAll('g.crop circle.crop-landmark').size()).toBe(5 * passed.length);
    const c = passed[0];
    const dot = sel.select(`g.crop[data-id="${c.id}"] circle.crop-landmark`).node() as Element;
    const side = 48 * 1.5;
    expect(num(dot, 'cx')).toBeCloseTo(((c.landmarks![0][0] - c.window.x0) * side) / (c.window.x1 - c.window.x0), 6);
    expect(num(dot, 'cy')).toBeCloseTo(((c.landmarks![0][1] - c.window.y0) * side) / (c.window.y1 - c.window.y0), 6);
  });
});
