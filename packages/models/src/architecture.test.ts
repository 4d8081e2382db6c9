import { describe, expect, it } from 'vitest';
import {
  flattenInputShape,
  NETWORKS,
  networkFlops,
  ONET,
  PNET,
  pnetMapSize,
  poolCeilPadding,
  poolOutputSize,
  RNET,
  trunkShapes,
  type ConvLayer,
  type DenseLayer,
} from './architecture.js';
import { TENSOR_TABLE } from './manifest.js';

const shapeOf = new Map<string, readonly number[]>(TENSOR_TABLE.map((t) => [t.name, t.shape]));

describe('architecture', () => {
  it('uses every tensor exactly once, with shapes matching the layers', () => {
    const used: string[] = [];
    const check = (l: ConvLayer | DenseLayer) => {
      used.push(l.weights, l.bias);
      if (l.kind === 'conv') expect(shapeOf.get(l.weights)).toEqual([l.kernel, l.kernel, l.inChannels, l.outChannels]);
      else expect(shapeOf.get(l.weights)).toEqual([l.inFeatures, l.outFeatures]);
      expect(shapeOf.get(l.bias)).toEqual([l.kind === 'conv' ? l.outChannels : l.outFeatures]);
    };
    for (const net of Object.values(NETWORKS)) {
      for (const l of net.trunk) {
        if (l.kind === 'conv' || l.kind === 'dense') check(l);
        if (l.kind === 'prelu') {
          used.push(l.alpha);
          expect(shapeOf.get(l.alpha)).toEqual([l.channels]);
        }
      }
      for (const h of net.heads) check(h.layer);
    }
    expect(used.sort()).toEqual(TENSOR_TABLE.map((t) => t.name).sort());
  });

  it("ceil-mode pooling gives the reference's layer sizes", () => {
    expect(poolOutputSize(22, 3, 2)).toBe(11);
    expect(poolOutputSize(9, 3, 2)).toBe(4);
    expect(poolOutputSize(46, 3, 2)).toBe(23);
    expect(poolOutputSize(21, 3, 2)).toBe(10);
    expect(poolOutputSize(8, 2, 2)).toBe(4);
    expect(poolOutputSize(11, 2, 2)).toBe(6);
    expect([
      poolCeilPadding(22, 3, 2),
      poolCeilPadding(9, 3, 2),
      poolCeilPadding(11, 2, 2),
      poolCeilPadding(10, 2, 2),
    ]).toEqual([1, 0, 1, 0]);
  });

  it('P-Net map size is ceil((n - 2) / 2) - 4', () => {
    for (let n = 12; n <= 400; n++) expect(pnetMapSize(n)).toBe(Math.ceil((n - 2) / 2) - 4);
    const out = trunkShapes(PNET, 13, 17).at(-1);
    expect(out).toEqual({ kind: 'map', height: 2, width: 4, channels: 32 });
    expect(() => trunkShapes(PNET, 11, 20)).toThrow(RangeError);
  });

  it('R-Net and O-Net flatten a 3x3 map', () => {
    expect(flattenInputShape(RNET)).toEqual({ height: 3, width: 3, channels: 64 });
    expect(flattenInputShape(ONET)).toEqual({ height: 3, width: 3, channels: 128 });
    expect(flattenInputShape(PNET)).toBeNull();
    expect(trunkShapes(RNET).at(-1)).toEqual({ kind: 'vector', features: 128 });
    expect(trunkShapes(ONET).at(-1)).toEqual({ kind: 'vector', features: 256 });
  });

  it('counts FLOPs (2 x multiply-adds)', () => {
    expect(networkFlops(RNET)).toBe(3_061_536); // ~3.06 MFLOP per crop
    expect(networkFlops(ONET)).toBe(25_819_904); // ~25.8 MFLOP per crop
    // 12x12: conv1 10*10*27*10 + conv2 3*3*90*16 + conv3 1*144*32 + heads 32*6 multiply-adds.
    expect(networkFlops(PNET, 12, 12)).toBe(2 * (27000 + 12960 + 4608 + 192));
    // 385x289: conv1 383x287, pool 192x144, conv2 190x142, conv3/heads 188x140.
    expect(networkFlops(PNET, 385, 289)).toBe(2 * (383 * 287 * 270 + 190 * 142 * 1440 + 188 * 140 * (4608 + 192)));
  });
});
