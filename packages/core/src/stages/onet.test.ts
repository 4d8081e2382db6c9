import { describe, expect, it } from 'vitest';
import type { MtcnnBackend, ONetOutput } from '../backend.js';
import type { Box } from '../box.js';
import type { RgbImage } from '../image.js';
import { resolveOptions } from '../options.js';
import { ONET_SIZE, landmarksFromBox, runONetStage } from './onet.js';
import { logitsOf } from '../softmax.test-util.js';

describe('landmarksFromBox', () => {
  it('px = x1 + (x2 - x1 + 1) * p - 1, py likewise (x1..x5 then y1..y5)', () => {
    // Box [10, 20, 29, 59]: w + 1 = 20, h + 1 = 40.
    const rel = [0, 0.25, 0.5, 0.75, 1, 0, 0.25, 0.5, 0.75, 1];
    // x: 10 + 20p - 1 = 9, 14, 19, 24, 29; y: 20 + 40p - 1 = 19, 29, 39, 49, 59.
    expect(landmarksFromBox([10, 20, 29, 59], rel, 0)).toEqual([
      [9, 19],
      [14, 29],
      [19, 39],
      [24, 49],
      [29, 59],
    ]);
  });

  it('reads the 10 values at the given offset', () => {
    // Second crop of a batch: values at 10..19.
    const rel = new Float32Array(20);
    rel.set([0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.25], 10);
    // Box [0, 0, 7, 3]: w + 1 = 8, h + 1 = 4: x = 0 + 4 - 1 = 3, y = 0 + 1 - 1 = 0.
    expect(landmarksFromBox([0, 0, 7, 3], rel, 10)).toEqual(new Array(5).fill([3, 0]));
  });

  it('gives float32 values', () => {
    const rel = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.33].map(Math.fround);
    const b = [10.3, 20.7, 55.1, 61.9].map(Math.fround) as Box;
    for (const [x, y] of landmarksFromBox(b, rel, 0)) {
      expect(Math.fround(x)).toBe(x);
      expect(Math.fround(y)).toBe(y);
    }
  });
});

describe('runONetStage', () => {
  it('thresholds (>), takes landmarks before regression, regresses (+1), NMS "Min", orders by area', async () => {
    const image: RgbImage = { data: new Uint8Array(100 * 100 * 3), width: 100, height: 100 };
    const input: Box[] = [
      [0, 0, 20, 20], // A: 0.9
      [40, 0, 80, 40], // B: 0.8, reg [0.5, 0, 0, 0]
      [5, 5, 15, 15], // C: 0.85, inside A: Min overlap 121/121 = 1 (union IoU would be 100/400)
      [60, 60, 90, 90], // D: exactly float32(0.7): not > 0.7, dropped
    ];
    const probs = [0.9, 0.8, 0.85, 0.7];
    let batch = 0;
    const backend: MtcnnBackend = {
      name: 'fake',
      runPNet: () => Promise.reject(new Error('unused')),
      runRNet: () => Promise.reject(new Error('unused')),
      async runONet(crops, count): Promise<ONetOutput> {
        batch = count;
        expect(crops).toHaveLength(count * ONET_SIZE * ONET_SIZE * 3);
        const reg = new Float32Array(count * 4);
        reg[1 * 4] = 0.5;
        return { logit: logitsOf(probs, 'reciprocal'), reg, landmarks: new Float32Array(count * 10).fill(0.5) };
      },
      dispose() {},
    };
    const r = await runONetStage(backend, image, input, [10, 11, 12, 13], resolveOptions(), true);
    expect(batch).toBe(4);
    expect(r.passedCount).toBe(3);
    // B regressed: w + 1 = 41, x1 = 40 + 20.5 = 60.5 -> area 19.5 * 40 = 780 > A's 400: B first.
    expect(r.faces.map((f) => f.id)).toEqual([1, 0]);
    expect(r.faces[0].box).toEqual([60.5, 0, 80, 40]);
    expect(r.faces[0].score).toBe(Math.fround(0.8));
    // Landmarks from the box before regression: 40 + 41 * 0.5 - 1 = 59.5, 0 + 41 * 0.5 - 1 = 19.5.
    expect(r.faces[0].landmarks).toEqual(new Array(5).fill([59.5, 19.5]));
    // A: 0 + 21 * 0.5 - 1 = 9.5.
    expect(r.faces[1].box).toEqual([0, 0, 20, 20]);
    expect(r.faces[1].landmarks).toEqual(new Array(5).fill([9.5, 9.5]));

    const t = r.trace!;
    expect(t.map((c) => [c.id, c.source, c.passed])).toEqual([
      [0, 10, true],
      [1, 11, true],
      [2, 12, true],
      [3, 13, false],
    ]);
    expect(t[2].nms).toEqual({ kept: false, by: 0, overlap: 1 });
    expect(t[0].nms).toEqual({ kept: true });
    expect(t[3].nms).toBeUndefined();
    // The zero-pad window of A: [trunc(0) - 1, trunc(20)).
    expect(t[0].window).toEqual({ x0: -1, y0: -1, x1: 20, y1: 20 });
  });

  it('runs the "Min" NMS on the regressed boxes', async () => {
    const image: RgbImage = { data: new Uint8Array(100 * 100 * 3), width: 100, height: 100 };
    // E and F are apart; F's offset dx1 = -1.5 (w + 1 = 21) moves its x1 to 30 - 31.5 = -1.5, so the
    // regressed F contains E: overlap 21*21 / min(21*21, 52.5*21) = 1, and E (lower score) goes.
    const input: Box[] = [
      [0, 50, 20, 70],
      [30, 50, 50, 70],
    ];
    const backend: MtcnnBackend = {
      name: 'fake',
      runPNet: () => Promise.reject(new Error('unused')),
      runRNet: () => Promise.reject(new Error('unused')),
      async runONet(_crops, count) {
        return {
          logit: logitsOf([0.8, 0.9], 'reciprocal'),
          reg: new Float32Array([0, 0, 0, 0, -1.5, 0, 0, 0]),
          landmarks: new Float32Array(count * 10),
        };
      },
      dispose() {},
    };
    const r = await runONetStage(backend, image, input, [0, 1], resolveOptions(), false);
    expect(r.passedCount).toBe(2);
    expect(r.faces.map((f) => [f.id, f.box])).toEqual([[1, [-1.5, 50, 50, 70]]]);
    expect(r.trace).toBeUndefined();
  });

  it('does not call the backend for no input', async () => {
    const backend = {
      name: 'fake',
      runPNet: () => Promise.reject(new Error('unused')),
      runRNet: () => Promise.reject(new Error('unused')),
      runONet: () => Promise.reject(new Error('must not run')),
      dispose() {},
    } satisfies MtcnnBackend;
    const image: RgbImage = { data: new Uint8Array(3), width: 1, height: 1 };
    expect(await runONetStage(backend, image, [], [], resolveOptions(), false)).toEqual({
      passedCount: 0,
      faces: [],
      postMs: 0,
      trace: undefined,
    });
  });
});
