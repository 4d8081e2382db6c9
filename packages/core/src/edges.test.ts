import { describe, expect, it } from 'vitest';
import { pnetOutputSize, type MtcnnBackend, type PNetOutput, type RNetOutput } from './backend.js';
import type { Box } from './box.js';
import { EDGE_EPSILON, exactOf, onPixelEdge, pnetOffsetsOf, pnetWindow, withExactEdges } from './edges.js';
import type { RgbImage } from './image.js';
import { resolveOptions } from './options.js';
import { logitsOf } from './softmax.test-util.js';
import { runPNetStage } from './stages/pnet.js';
import { runRNetStage } from './stages/rnet.js';

describe('onPixelEdge', () => {
  it('is true when a coordinate is within EDGE_EPSILON of an integer, on either side, negative ones too', () => {
    expect(onPixelEdge([300.99994, 10.5, 20.5, 30.5])).toBe(true);
    expect(onPixelEdge([10.5, 100.00002, 20.5, 30.5])).toBe(true);
    expect(onPixelEdge([10.5, 10.5, 20.5, -2.9995])).toBe(true);
    expect(onPixelEdge([10.5, 10.5, 20.5, 7])).toBe(true);
    expect(onPixelEdge([10.5, 10.01, 20.99, 30.5])).toBe(false);
    expect(onPixelEdge([10 + 2 * EDGE_EPSILON, 10.5, 20.5, 30.5])).toBe(false);
    expect(onPixelEdge([10.01, 10.5, 20.5, 30.5], 0.02)).toBe(true);
  });
});

/** A level whose value at (row, col, ch) is `row * 1000 + col * 10 + ch`, in `layout`. */
function codedLevel(height: number, width: number, layout: 'hwc' | 'chw'): Float32Array {
  const out = new Float32Array(height * width * 3);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      for (let ch = 0; ch < 3; ch++)
        out[layout === 'chw' ? (ch * height + r) * width + c : (r * width + c) * 3 + ch] = r * 1000 + c * 10 + ch;
  return out;
}

describe('pnetWindow', () => {
  it("copies cell (x, y)'s 12x12 pixels from (2y, 2x), as HWC, from either layout", () => {
    for (const layout of ['hwc', 'chw'] as const) {
      const w = pnetWindow(codedLevel(30, 40, layout), 30, 40, layout, 3, 5);
      expect([w.height, w.width]).toEqual([12, 12]);
      expect(w.data[0]).toBe(10 * 1000 + 6 * 10);
      expect(w.data[(11 * 12 + 11) * 3 + 2]).toBe(21 * 1000 + 17 * 10 + 2);
      expect(w.data[(4 * 12 + 7) * 3 + 1]).toBe(14 * 1000 + 13 * 10 + 1);
    }
  });

  it('is 11 wide / high for the last cell of an odd-sized level (its last pool window is cut)', () => {
    // Even sides: the last cell (map side ceil((n - 2) / 2) - 4) starts 12 before the end. 28 x 26: maps
    // of 9 x 8, last cell (7, 8) at row 16 and column 14.
    const w1 = pnetWindow(codedLevel(28, 26, 'hwc'), 28, 26, 'hwc', pnetOutputSize(26) - 1, pnetOutputSize(28) - 1);
    expect([w1.height, w1.width]).toEqual([12, 12]);
    // 26 x 23: maps of 8 x 7; the last cell starts at row 14 (12 rows left), column 12 (11 left).
    const w2 = pnetWindow(codedLevel(26, 23, 'chw'), 26, 23, 'chw', 6, 7);
    expect([w2.height, w2.width]).toEqual([12, 11]);
    expect(w2.data[(11 * 11 + 10) * 3 + 2]).toBe(25 * 1000 + 22 * 10 + 2);
    const w3 = pnetWindow(codedLevel(25, 25, 'hwc'), 25, 25, 'hwc', 7, 7); // maps of 8 x 8
    expect([w3.height, w3.width]).toEqual([11, 11]);
  });
});

/**
 * A P-Net whose cell offsets say which pixels the cell's window covers on the level it is given:
 * (sum of channel 0 over the window clipped to the level, pixel count, 0, 0). Each cell's output
 * comes from its window alone, as a real P-Net's does.
 */
function windowSumPNet(calls: Array<[number, number]>): MtcnnBackend['runPNet'] {
  return async (level, height, width): Promise<PNetOutput> => {
    calls.push([height, width]);
    const h = pnetOutputSize(height);
    const w = pnetOutputSize(width);
    const reg = new Float32Array(h * w * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let sum = 0;
        let count = 0;
        for (let r = 2 * y; r < Math.min(2 * y + 12, height); r++)
          for (let c = 2 * x; c < Math.min(2 * x + 12, width); c++) {
            sum += level[(r * width + c) * 3];
            count++;
          }
        reg.set([sum, count], (y * w + x) * 4);
      }
    return { logit: new Float32Array(h * w), reg, height: h, width: w };
  };
}

describe('pnetOffsetsOf', () => {
  it("gives each window its cell's offsets on the cell's level: 12x12 ones in one call, a cut one alone", async () => {
    const [height, width] = [26, 23]; // odd width: the last column of cells has 11-wide windows
    const level = codedLevel(height, width, 'hwc');
    const calls: Array<[number, number]> = [];
    const runPNet = windowSumPNet(calls);
    const backend: MtcnnBackend = {
      name: 'window-sum',
      runPNet,
      runRNet: () => Promise.reject(new Error('unused')),
      runONet: () => Promise.reject(new Error('unused')),
      dispose() {},
    };
    const own = await runPNet(level, height, width);
    const cells: Array<[number, number]> = [
      [0, 0],
      [3, 2],
      [6, 7], // bottom-right: 12 x 11
      [5, 7],
      [6, 0], // right edge: 12 x 11
    ];
    calls.length = 0;
    const got = await pnetOffsetsOf(
      backend,
      cells.map(([x, y]) => pnetWindow(level, height, width, 'hwc', x, y)),
    );
    cells.forEach(([x, y], j) => {
      const i = y * own.width + x;
      expect(Array.from(got[j]), `cell ${x},${y}`).toEqual(Array.from(own.reg.subarray(i * 4, i * 4 + 4)));
    });
    expect(got[2][1]).toBe(12 * 11); // the cut window, not 144
    // One strip for the three 12x12 windows, one level each for the two cut ones.
    expect(calls).toEqual([
      [12, 36],
      [12, 23],
      [12, 23],
    ]);
  });
});

describe('withExactEdges', () => {
  const unused = (): Promise<never> => Promise.reject(new Error('unused'));
  /** An R-Net with the same score for every crop and fixed offsets. */
  const rnetBackend = (name: string, reg: number[], disposed: string[]): MtcnnBackend => ({
    name,
    runPNet: unused,
    async runRNet(_crops, count): Promise<RNetOutput> {
      const out = new Float32Array(count * 4);
      for (let i = 0; i < count; i++) out.set(reg, i * 4);
      return { logit: logitsOf(new Array<number>(count).fill(0.9), 'reciprocal'), reg: out };
    },
    runONet: unused,
    dispose: () => disposed.push(name),
  });
  const image: RgbImage = { data: new Uint8Array(60 * 60 * 3), width: 60, height: 60 };
  // w + 1 = 11: zero offsets keep it [0, 0, 10, 10], on an edge; offsets of 0.25 make it [0, 0, 12.75, 12.75].
  const input: Box[] = [
    [0, 0, 10, 10],
    [30.5, 30.5, 40.5, 40.5], // off any edge with zero offsets
  ];

  it('decides boxes on an edge by the exact backend, under the reference preset only; made on first use', async () => {
    const disposed: string[] = [];
    let made = 0;
    const backend = withExactEdges(rnetBackend('fast', [0, 0, 0, 0], disposed), async () => {
      made++;
      return rnetBackend('exact', [0, 0, 0.25, 0.25], disposed);
    });
    expect(exactOf(backend)).toBe(backend.exact);
    const byDefault = await runRNetStage(backend, image, input, [0, 1], resolveOptions({}), false);
    expect(byDefault.boxes[0]).toEqual([0, 0, 10, 10]);
    expect(made).toBe(0);

    const fast2 = rnetBackend('fast', [0, 0, 0, 0], disposed);
    const runs: number[] = [];
    const withCount: MtcnnBackend = {
      ...fast2,
      runRNet: (c, n, l) => {
        runs.push(n);
        return fast2.runRNet(c, n, l);
      },
    };
    const b2 = withExactEdges(withCount, async () => {
      made++;
      const exact = rnetBackend('exact', [0, 0, 0.25, 0.25], disposed);
      return {
        ...exact,
        runRNet: (c, n, l) => {
          runs.push(-n);
          return exact.runRNet(c, n, l);
        },
      };
    });
    const asked: number[][] = [];
    const r = await runRNetStage(
      b2,
      image,
      input,
      [0, 1],
      resolveOptions({ preset: 'reference' }),
      true,
      undefined,
      undefined,
      async (ids) => {
        asked.push([...ids]);
        return ids.map((i) => input[i]);
      },
    );
    expect(made).toBe(1);
    expect(runs).toEqual([2, -1]); // both crops on the fast backend, the edge one again on the exact
    expect(asked).toEqual([[0]]); // P-Net's box behind the edge one, recomputed first
    expect(r.boxes[0]).toEqual([0, 0, 12.75, 12.75]);
    expect(r.trace![0].offsets).toEqual([0, 0, 0.25, 0.25]);
    // The other box keeps the fast backend's offsets (zero): [30.5, 30.5, 40.5, 40.5] is off an edge.
    expect(r.boxes[1]).toEqual([30.5, 30.5, 40.5, 40.5]);

    b2.dispose();
    await Promise.resolve();
    await Promise.resolve();
    expect(disposed).toEqual(['fast', 'exact']);
  });

  it('retries a failed creation of the exact backend on the next call, and refuses calls once disposed', async () => {
    let attempts = 0;
    const disposed: string[] = [];
    const backend = withExactEdges(rnetBackend('fast', [0, 0, 0, 0], disposed), async () => {
      if (++attempts === 1) throw new Error('no tfjs here');
      return rnetBackend('exact', [0, 0, 0, 0], disposed);
    });
    const crop = new Float32Array(24 * 24 * 3);
    await expect(backend.exact.runRNet(crop, 1)).rejects.toThrow('no tfjs here');
    await expect(backend.exact.runRNet(crop, 1)).resolves.toMatchObject({ reg: new Float32Array(4) });
    expect(attempts).toBe(2);
    backend.dispose();
    await expect(backend.exact.runRNet(crop, 1)).rejects.toThrow('disposed');
  });
});

describe('runPNetStage with an exact backend', () => {
  it('recomputes the offsets of a box on an edge from its window (reference preset), each box once', async () => {
    const image: RgbImage = { data: new Uint8Array(40 * 40 * 3), width: 40, height: 40 };
    const unused = (): Promise<never> => Promise.reject(new Error('unused'));
    let first = true;
    const fast: MtcnnBackend = {
      name: 'fast',
      // One candidate, cell (0, 0) of the first level (scale 1): box [1, 1, 12, 12], zero offsets.
      async runPNet(_level, height, width): Promise<PNetOutput> {
        const h = pnetOutputSize(height);
        const w = pnetOutputSize(width);
        const logit = new Float32Array(h * w).fill(-Infinity);
        if (first) logit[0] = 5;
        first = false;
        return { logit, reg: new Float32Array(h * w * 4), height: h, width: w };
      },
      runRNet: unused,
      runONet: unused,
      dispose() {},
    };
    const calls: Array<[number, number]> = [];
    const exact: MtcnnBackend = {
      name: 'exact',
      async runPNet(_level, height, width): Promise<PNetOutput> {
        calls.push([height, width]);
        const h = pnetOutputSize(height);
        const w = pnetOutputSize(width);
        const reg = new Float32Array(h * w * 4);
        for (let i = 0; i < h * w; i++) reg[i * 4] = 0.0625;
        return { logit: new Float32Array(h * w), reg, height: h, width: w };
      },
      runRNet: unused,
      runONet: unused,
      dispose() {},
    };
    const opts = resolveOptions({ preset: 'reference', minFaceSize: 12 });
    const p = await runPNetStage(withExactEdges(fast, exact), image, opts, true, () => undefined);
    // [1, 1, 12, 12] with dx1 = 0.0625 * 11: [1.6875, 1, 12, 12]; squared (side 11):
    // x1 = 1.6875 + 10.3125 / 2 - 5.5 = 1.34375.
    expect(p.boxes).toEqual([[1.34375, 1, 12.34375, 12]]);
    expect(p.trace!.candidates[0].offsets).toEqual([0.0625, 0, 0, 0]);
    expect(calls).toEqual([[12, 12]]);
    expect(await p.exactInputs!([0])).toEqual([[1.34375, 1, 12.34375, 12]]);
    expect(calls).toHaveLength(1); // already exact

    first = true;
    const byDefault = await runPNetStage(
      withExactEdges(fast, exact),
      image,
      resolveOptions({ minFaceSize: 12 }),
      false,
      () => undefined,
    );
    expect(byDefault.boxes).toEqual([[1, 1, 12, 12]]);
    expect(byDefault.exactInputs).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('gives every level back to the scratch pool once: after a run, a failed run and an abort', async () => {
    const image: RgbImage = { data: new Uint8Array(60 * 60 * 3), width: 60, height: 60 };
    const unused = (): Promise<never> => Promise.reject(new Error('unused'));
    /** A scratch that lends fresh arrays and records what comes back (twice would be a bug). */
    const counting = () => {
      const lent = new Set<Float32Array | Uint32Array>();
      const back: Array<Float32Array | Uint32Array> = [];
      return {
        lent,
        back,
        float32: (n: number) => {
          const a = new Float32Array(n);
          lent.add(a);
          return a;
        },
        uint32: (n: number) => {
          const a = new Uint32Array(n);
          lent.add(a);
          return a;
        },
        give: (a: Float32Array | Uint32Array) => void back.push(a),
      };
    };
    /** Three levels in flight; P-Net fails on level `failAt`; a candidate at cell (0, 0) of every level. */
    const fastFailingAt = (failAt: number): MtcnnBackend => {
      let k = 0;
      return {
        name: 'fast',
        inFlight: 3,
        async runPNet(_level, height, width): Promise<PNetOutput> {
          if (k++ === failAt) throw new Error('P-Net failed');
          const h = pnetOutputSize(height);
          const w = pnetOutputSize(width);
          const logit = new Float32Array(h * w).fill(-Infinity);
          logit[0] = 5;
          return { logit, reg: new Float32Array(h * w * 4), height: h, width: w };
        },
        runRNet: unused,
        runONet: unused,
        dispose() {},
      };
    };
    const exact = { ...fastFailingAt(-1), name: 'exact' };
    const opts = resolveOptions({ preset: 'reference', minFaceSize: 12 });
    const levels = (sc: ReturnType<typeof counting>) => [...sc.lent].filter((a) => a instanceof Float32Array);
    /** Every level lent came back, each once, and nothing else (by identity). */
    const allBackOnce = (sc: ReturnType<typeof counting>) => {
      expect(new Set(sc.back).size, 'given back twice').toBe(sc.back.length);
      expect(sc.back.every((a) => sc.lent.has(a))).toBe(true);
      expect(
        levels(sc).filter((a) => !sc.back.includes(a)),
        'levels never given back',
      ).toHaveLength(0);
    };

    const ok = counting();
    await runPNetStage(withExactEdges(fastFailingAt(-1), exact), image, opts, false, () => undefined, undefined, ok);
    expect(levels(ok).length).toBeGreaterThan(3);
    allBackOnce(ok);

    const failed = counting();
    await expect(
      runPNetStage(withExactEdges(fastFailingAt(1), exact), image, opts, false, () => undefined, undefined, failed),
    ).rejects.toThrow('P-Net failed');
    expect(levels(failed).length).toBeGreaterThan(1);
    allBackOnce(failed);

    const aborted = counting();
    let checks = 0;
    const abortAtThird = () => {
      if (++checks === 3) throw new Error('aborted');
    };
    await expect(
      runPNetStage(withExactEdges(fastFailingAt(-1), exact), image, opts, false, abortAtThird, undefined, aborted),
    ).rejects.toThrow('aborted');
    expect(levels(aborted)).toHaveLength(2); // levels 0 and 1 in flight when the third level was refused
    allBackOnce(aborted);
  });
});
