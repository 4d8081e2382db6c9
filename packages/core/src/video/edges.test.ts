import { describe, expect, it } from 'vitest';
import type { Box } from '../box.js';
import { cameraMotion, edgeStrips, enteringEdges, subImage } from './edges.js';
import type { Track } from './tracks.js';

const track = (box: Box, velocity: [number, number, number], hits = 5): Track => ({
  id: 1,
  box,
  velocity,
  history: [],
  missed: 0,
  hits,
});

describe('cameraMotion', () => {
  it('is undefined without a track seen twice', () => {
    expect(cameraMotion([])).toBeUndefined();
    expect(cameraMotion([track([0, 0, 10, 10], [5, 5, 0], 1)])).toBeUndefined();
  });

  it('takes the median shift, so one face walking on its own does not count', () => {
    const m = cameraMotion([
      track([0, 0, 10, 10], [3, 0, 0]),
      track([50, 0, 60, 10], [3, 1, 0]),
      track([100, 0, 110, 10], [-40, 9, 0]),
    ])!;
    expect(m.dx).toBe(3);
    expect(m.dy).toBe(1);
  });

  it('reads a zoom from the distances between faces', () => {
    // Two faces 100 px apart moving apart by 1 px per frame each: the distance was 98, is 100.
    const m = cameraMotion([track([-5, -5, 5, 5], [-1, 0, 0]), track([95, -5, 105, 5], [1, 0, 0])])!;
    expect(m.zoom).toBeCloseTo(100 / 98 - 1, 12);
    expect(m.dx).toBe(0);
  });

  it('reads a zoom from the face size when there is one face', () => {
    // Side 20 shrinking by 0.5 px per frame: -2.5% per frame.
    expect(cameraMotion([track([0, 0, 20, 20], [0, 0, -0.5])])!.zoom).toBeCloseTo(-0.025, 12);
  });
});

describe('enteringEdges', () => {
  it('is the leading edge of a pan: faces drifting right bring content in on the left', () => {
    expect(enteringEdges({ dx: 2, dy: 0, zoom: 0 })).toEqual(['left']);
    expect(enteringEdges({ dx: -2, dy: -1.5, zoom: 0 })).toEqual(['right', 'bottom']);
    // Under 1 px per frame counts as still (detection jitter is about that).
    expect(enteringEdges({ dx: 0.9, dy: -0.9, zoom: 0 })).toEqual([]);
    expect(enteringEdges({ dx: 0.6, dy: 1.5, zoom: 0 })).toEqual(['top']);
  });

  it('is every edge when zooming out, none when still or zooming in', () => {
    expect(enteringEdges({ dx: 0, dy: 0, zoom: -0.01 })).toEqual(['left', 'right', 'top', 'bottom']);
    expect(enteringEdges({ dx: 0.1, dy: -0.2, zoom: 0.05 })).toEqual([]);
    expect(enteringEdges(undefined)).toEqual([]);
  });
});

describe('edgeStrips', () => {
  it('gives a strip of the given depth along each edge, inside the frame', () => {
    expect(edgeStrips(100, 50, ['left', 'right', 'top', 'bottom'], 10.4)).toEqual([
      { x0: 0, y0: 0, x1: 10, y1: 50 },
      { x0: 90, y0: 0, x1: 100, y1: 50 },
      { x0: 0, y0: 0, x1: 100, y1: 10 },
      { x0: 0, y0: 40, x1: 100, y1: 50 },
    ]);
    expect(edgeStrips(100, 50, ['top'], 80)).toEqual([{ x0: 0, y0: 0, x1: 100, y1: 50 }]);
  });
});

describe('subImage', () => {
  it('copies the window', () => {
    // 4x3 image, pixel (x, y) = (x, y, 9).
    const data = new Uint8Array(4 * 3 * 3);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) data.set([x, y, 9], (y * 4 + x) * 3);
    const s = subImage({ data, width: 4, height: 3 }, { x0: 1, y0: 1, x1: 3, y1: 3 });
    expect([s.width, s.height]).toEqual([2, 2]);
    expect(Array.from(s.data)).toEqual([1, 1, 9, 2, 1, 9, 1, 2, 9, 2, 2, 9]);
  });
});
