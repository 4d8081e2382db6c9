import { describe, expect, it } from 'vitest';
import { fixtureInput } from './fixture.test-util.js';
import { cellAt, kernelImageBox, kernelLevelBox, outsideFractions } from './geometry.js';

describe('geometry', () => {
  it("maps every candidate's cell to exactly the box the core traced", async () => {
    const { trace } = await fixtureInput();
    expect(trace.pnet.candidates.length).toBeGreaterThan(10);
    for (const c of trace.pnet.candidates) expect(kernelImageBox(trace.pyramid[c.level], c.cell)).toEqual(c.box);
  });

  it('gives the 12x12 window at stride 2 in the level, and the cell under a level pixel', async () => {
    const { trace } = await fixtureInput();
    expect(kernelLevelBox([3, 5])).toEqual([6, 10, 18, 22]);
    const l = trace.pyramid[0];
    expect(cellAt(l, 6 + 2 * 3, 6 + 2 * 5)).toEqual([3, 5]);
    expect(cellAt(l, -100, 1e6)).toEqual([0, l.mapHeight - 1]);
  });

  it('measures the part of a crop window outside the image', () => {
    expect(outsideFractions({ x0: -5, y0: 0, x1: 15, y1: 10 }, 100, 8)).toEqual({
      left: 0.25,
      right: 0,
      top: 0,
      bottom: 0.2,
    });
  });
});
