import { describe, expect, it } from 'vitest';
import type { MtcnnBackend, RNetOutput } from '../backend.js';
import type { Box } from '../box.js';
import type { RgbImage } from '../image.js';
import { resolveOptions } from '../options.js';
import { RNET_SIZE, runRNetStage } from './rnet.js';
import { logitsOf } from '../softmax.test-util.js';

describe('runRNetStage', () => {
  it('thresholds (>), NMS on the un-regressed boxes, regresses (+1) and squares', async () => {
    const image: RgbImage = { data: new Uint8Array(130 * 130 * 3), width: 130, height: 130 };
    const input: Box[] = [
      [0, 0, 20, 20], // A: 0.9, reg [1, 0, 1, 0] would move it to [21, 0, 41, 20], clear of B
      [2, 0, 22, 20], // B: 0.95; IoU(A, B) = 360 / 440 > 0.7 before regression
      [50, 50, 70, 70], // C: exactly float32(0.7): not > 0.7
      [100, 100, 120, 120], // D: 0.8, reg [0.125, 0, 0, 0.25]
    ];
    let batch = 0;
    const backend: MtcnnBackend = {
      name: 'fake',
      runPNet: () => Promise.reject(new Error('unused')),
      async runRNet(crops, count): Promise<RNetOutput> {
        batch = count;
        expect(crops).toHaveLength(count * RNET_SIZE * RNET_SIZE * 3);
        const reg = new Float32Array(count * 4);
        reg.set([1, 0, 1, 0], 0);
        reg.set([0.125, 0, 0, 0.25], 12);
        return { logit: logitsOf([0.9, 0.95, 0.7, 0.8], 'reciprocal'), reg };
      },
      runONet: () => Promise.reject(new Error('unused')),
      dispose() {},
    };
    const r = await runRNetStage(backend, image, input, [5, 6, 7, 8], resolveOptions({ preset: 'reference' }), true);
    expect(batch).toBe(4);
    expect(r.passedCount).toBe(3);
    // A is suppressed by B on the boxes R-Net saw; survivors best first.
    expect(r.ids).toEqual([1, 3]);
    // B: zero offsets, already square. D: w + 1 = h + 1 = 21: x1 = 100 + 2.625, y2 = 120 + 5.25
    // -> [102.625, 100, 120, 125.25]; square: l = 25.25, x1 = 102.625 + 8.6875 - 12.625 = 98.6875.
    expect(r.boxes).toEqual([
      [2, 0, 22, 20],
      [98.6875, 100, 123.9375, 125.25],
    ]);
    const t = r.trace!;
    expect(t.map((c) => [c.source, c.passed])).toEqual([
      [5, true],
      [6, true],
      [7, false],
      [8, true],
    ]);
    expect(t[0].nms).toMatchObject({ kept: false, by: 1 });
    expect(t[0].nms!.overlap).toBeCloseTo(360 / 440, 6);
    expect(t[3].regressed).toEqual([102.625, 100, 120, 125.25]);
    expect(t[3].squared).toEqual([98.6875, 100, 123.9375, 125.25]);
    // Reference preset: stretch windows, [max(trunc(x1), 1) - 1, min(trunc(x2), W)).
    expect(t[0].window).toEqual({ x0: 0, y0: 0, x1: 20, y1: 20 });
  });

  it('does not call the backend for no input', async () => {
    const backend = {
      name: 'fake',
      runPNet: () => Promise.reject(new Error('unused')),
      runRNet: () => Promise.reject(new Error('must not run')),
      runONet: () => Promise.reject(new Error('unused')),
      dispose() {},
    } satisfies MtcnnBackend;
    const image: RgbImage = { data: new Uint8Array(3), width: 1, height: 1 };
    expect(await runRNetStage(backend, image, [], [], resolveOptions(), true)).toEqual({
      passedCount: 0,
      boxes: [],
      ids: [],
      postMs: 0,
      trace: [],
    });
  });
});
