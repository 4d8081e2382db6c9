import { describe, expect, it } from 'vitest';
import type { BenchResults, Row } from './results.js';
import { median } from './stats.js';
import { checkTargets } from './targets.js';

const row = (backend: Row['backend'], image: string, totalMs: number, efficiency?: number): Row => ({
  backend,
  image,
  width: 1,
  height: 1,
  totalMs,
  pnetMs: 0,
  rnetMs: 0,
  onetMs: 0,
  efficiency,
  maxRssMb: 100,
  faces: 1,
  rnetInputs: 0,
  onetInputs: 0,
  runsMs: [totalMs],
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('checkTargets', () => {
  it('judges each target from the rows of one run, and says "not measured" for what is missing', () => {
    const res = {
      rows: [
        row('onnx', 'images/dev/bbt1_1920x1080.jpg', 100, 0.31),
        row('onnx', 'images/dev/bbt4_640x480.jpg', 20, 0.24),
        row('tfjs-wasm', 'images/dev/bbt4_640x480.jpg', 100),
        row('peer-tfjs-wasm', 'images/dev/bbt4_640x480.jpg', 350),
      ],
      memory: { maxRssMb: 280, startRssMb: 250, endRssMb: 252, count: 200, settle: 10, firstFaces: 5, lastFaces: 5 },
    } as unknown as Omit<BenchResults, 'targets'>;
    const t = checkTargets(res);
    const met = Object.fromEntries(t.map((x) => [x.name, x.met]));
    expect(met['onnx efficiency at 1920x1080']).toBe(true);
    expect(met['onnx efficiency at 640x480']).toBe(false);
    expect(met['tfjs-wasm vs the peer on tfjs-wasm at 640x480']).toBe(true);
    expect(met['tfjs-wasm vs the peer on tfjs-wasm at 1920x1080']).toBeNull();
    expect(met['peak RSS, onnx, 1920x1080']).toBe(true);
    expect(t.find((x) => x.name.startsWith('RSS growth'))!.met).toBe(true);
    expect(t.find((x) => x.name.startsWith('mtcnn detect'))!.met).toBeNull();
  });
});
