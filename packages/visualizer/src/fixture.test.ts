import { describe, expect, it } from 'vitest';
import { fixtureInput } from './fixture.test-util.js';

describe('the fixture trace', () => {
  it('exercises every verdict the panels draw', async () => {
    const { trace } = await fixtureInput();
    const c = trace.pnet.candidates;
    expect(trace.pyramid.length).toBeGreaterThanOrEqual(3);
    expect(c.some((x) => !x.scaleNms.kept)).toBe(true);
    expect(c.some((x) => x.crossNms && !x.crossNms.kept)).toBe(true);
    for (const stage of [trace.rnet.inputs, trace.onet.inputs]) {
      expect(stage.some((x) => !x.passed)).toBe(true);
      expect(stage.some((x) => x.nms?.kept)).toBe(true);
      expect(stage.some((x) => x.nms && !x.nms.kept)).toBe(true);
    }
    expect(trace.counts.faces).toBeGreaterThanOrEqual(1);
  });
});
