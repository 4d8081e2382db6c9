import { exactOf, type MtcnnBackend } from '@mtcnn/core';
import { pnetOffsetsOf, pnetOutputSize, pnetWindow } from '@mtcnn/core/backend-kit';
import { BACKEND_NAMES, createBackend } from '@mtcnn/backends/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Boxes on a pixel edge under the reference preset (core's edges.ts): the Node registry pairs every
// backend but tfjs-cpu with a tfjs-cpu that recomputes the offsets behind such a box, P-Net's from
// the cell's window alone and R-Net's from the edge crops alone. Those are the values tfjs-cpu
// computes for the cell on its whole level and for the crop in its whole batch, bit for bit, or the
// recomputed boxes would not be tfjs-cpu's (which match the reference on all FDDB dev images).

/** Uniform values in [-1, 1) (normalised pixels), deterministic. */
function randomInput(seed: number, length: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

describe('the registry pairs each fast backend with tfjs-cpu for pixel edges', () => {
  it.each(BACKEND_NAMES)('%s', async (name) => {
    const backend = await createBackend(name, { threads: 1 });
    try {
      if (name === 'tfjs-cpu') expect(exactOf(backend)).toBeUndefined();
      else expect(exactOf(backend)).toBeDefined();
    } finally {
      backend.dispose();
    }
  });
});

describe('the exact backend (tfjs-cpu, as the registry makes it)', () => {
  let owner: MtcnnBackend;
  let exact: MtcnnBackend;
  beforeAll(async () => {
    owner = await createBackend('onnx', { threads: 1 });
    exact = exactOf(owner)!;
  });
  afterAll(() => owner?.dispose());

  // Even and odd sides: an odd side's last cells have an 11-pixel window (the last pool window cut).
  it.each([
    [26, 23],
    [25, 31],
    [36, 40],
  ])(
    'P-Net on windows = P-Net on the %ix%i level at every cell, bit for bit',
    async (height, width) => {
      const level = randomInput(height * 100 + width, height * width * 3);
      const whole = await exact.runPNet(level, height, width, 'hwc');
      expect([whole.height, whole.width]).toEqual([pnetOutputSize(height), pnetOutputSize(width)]);
      const cells: Array<[number, number]> = [];
      for (let y = 0; y < whole.height; y++) for (let x = 0; x < whole.width; x++) cells.push([x, y]);
      const offsets = await pnetOffsetsOf(
        exact,
        cells.map(([x, y]) => pnetWindow(level, height, width, 'hwc', x, y)),
      );
      cells.forEach(([x, y], j) => {
        const i = y * whole.width + x;
        expect(Array.from(offsets[j]), `cell ${x},${y}`).toEqual(Array.from(whole.reg.subarray(i * 4, i * 4 + 4)));
      });
    },
    60_000,
  );

  it('P-Net on a window taken from a CHW level (onnx runs CHW) = on the HWC level', async () => {
    const [height, width] = [25, 31];
    const hwc = randomInput(7, height * width * 3);
    const chw = new Float32Array(hwc.length);
    for (let p = 0; p < height * width; p++) for (let c = 0; c < 3; c++) chw[c * height * width + p] = hwc[p * 3 + c];
    const cells: Array<[number, number]> = [
      [0, 0],
      [7, 2],
      [pnetOutputSize(width) - 1, pnetOutputSize(height) - 1],
    ];
    const [a, b] = await Promise.all(
      (['hwc', 'chw'] as const).map((layout, k) =>
        pnetOffsetsOf(
          exact,
          cells.map(([x, y]) => pnetWindow(k === 0 ? hwc : chw, height, width, layout, x, y)),
        ),
      ),
    );
    expect(b.map((o) => Array.from(o))).toEqual(a.map((o) => Array.from(o)));
  });

  it('R-Net on a few crops = the same crops in a larger batch, bit for bit', async () => {
    const n = 9;
    const crops = randomInput(11, n * 24 * 24 * 3);
    const all = await exact.runRNet(crops, n, 'hwc');
    const pick = [0, 4, 8];
    const some = new Float32Array(pick.length * 24 * 24 * 3);
    pick.forEach((i, j) => {
      some.set(crops.subarray(i * 1728, (i + 1) * 1728), j * 1728);
    });
    const few = await exact.runRNet(some, pick.length, 'hwc');
    pick.forEach((i, j) => {
      expect(Array.from(few.reg.subarray(j * 4, j * 4 + 4)), `crop ${i}`).toEqual(
        Array.from(all.reg.subarray(i * 4, i * 4 + 4)),
      );
    });
  });
});
