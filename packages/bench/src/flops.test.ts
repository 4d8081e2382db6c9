import { describe, expect, it } from 'vitest';
import { cascadeFlops, ONET_FLOPS, RNET_FLOPS } from './flops.js';
import { OPTIONS } from './protocol.js';

describe('cascadeFlops', () => {
  it('R-Net is 3.06 MFLOP and O-Net 25.8 MFLOP per crop', () => {
    expect(RNET_FLOPS / 1e6).toBeCloseTo(3.06, 2);
    expect(ONET_FLOPS / 1e6).toBeCloseTo(25.8, 1);
  });

  it(
    'P-Net over the pyramid + R-Net x its inputs + O-Net x its ' +
      'inputs (640x480 ~ 3.0 GFLOP with the counts of bbt4_640x480)',
    () => {
      const f = cascadeFlops(640, 480, { pnetNms: 311, rnetNms: 51 }, OPTIONS);
      expect(f.rnet).toBe(311 * RNET_FLOPS);
      expect(f.onet).toBe(51 * ONET_FLOPS);
      expect(f.total).toBe(f.pnet + f.rnet + f.onet);
      expect(f.total / 1e9).toBeCloseTo(3.0, 1);
      // 1920x1080 with the counts of bbt1_1920x1080: ~16 GFLOP.
      expect(cascadeFlops(1920, 1080, { pnetNms: 2790, rnetNms: 89 }, OPTIONS).total / 1e9).toBeGreaterThan(15.5);
    },
  );

  it('P-Net alone scales with the pyramid area: a larger minimum face means fewer FLOPs', () => {
    const none = { pnetNms: 0, rnetNms: 0 };
    expect(cascadeFlops(640, 480, none, { minFaceSize: 40, scaleFactor: 0.709 }).total).toBeLessThan(
      cascadeFlops(640, 480, none, OPTIONS).total / 3,
    );
  });
});
