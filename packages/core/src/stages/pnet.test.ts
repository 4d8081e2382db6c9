import { describe, expect, it } from 'vitest';
import type { MtcnnBackend, PNetOutput } from '../backend.js';
import { pnetOutputSize } from '../backend.js';
import type { RgbImage } from '../image.js';
import { resolveOptions } from '../options.js';
import { cellBox, kthLargest, pnetCandidates, runPNetStage } from './pnet.js';
import { faceProbability } from '../softmax.js';
import { f32Step, logitOf } from '../softmax.test-util.js';

interface Hot {
  x: number;
  y: number;
  p: number;
  /** Overrides `p`: the cell's logit as a backend returns it. */
  logit?: number;
  reg?: [number, number, number, number];
}

/** A P-Net output map of `height` x `width` cells, probability 0 except the given cells. */
function pnetMap(height: number, width: number, hot: Hot[]): PNetOutput {
  const logit = new Float32Array(height * width).fill(-Infinity);
  const reg = new Float32Array(height * width * 4);
  for (const h of hot) {
    const i = h.y * width + h.x;
    logit[i] = h.logit ?? logitOf(h.p);
    if (h.reg) reg.set(h.reg, i * 4);
  }
  return { logit, reg, height, width };
}

describe('pnetCandidates', () => {
  it(
    'keeps cells with prob >= threshold: the smallest logit giving ' +
      'float32(0.6) passes, the float32 logit below it does not',
    () => {
      let at = logitOf(0.6);
      expect(faceProbability(at, 'divide')).toBe(Math.fround(0.6));
      while (faceProbability(f32Step(at, -1), 'divide') >= Math.fround(0.6)) at = f32Step(at, -1);
      const below = f32Step(at, -1);
      expect(faceProbability(below, 'divide')).toBeLessThan(Math.fround(0.6));
      const out = pnetMap(1, 3, [
        { x: 0, y: 0, p: 0, logit: at },
        { x: 1, y: 0, p: 0, logit: below },
        { x: 2, y: 0, p: 0.99 },
      ]);
      const c = pnetCandidates(out, 1, 0, 0.6);
      expect(c.map((k) => k.cell)).toEqual([
        [0, 0],
        [2, 0],
      ]);
      expect(c[0].score).toBe(Math.fround(0.6));
    },
  );

  it('lists cells in row-major order, with cell = [x, y]', () => {
    const out = pnetMap(2, 3, [
      { x: 1, y: 1, p: 0.7 },
      { x: 2, y: 0, p: 0.9 },
      { x: 0, y: 1, p: 0.8 },
    ]);
    expect(pnetCandidates(out, 1, 0, 0.6).map((k) => k.cell)).toEqual([
      [2, 0],
      [0, 1],
      [1, 1],
    ]);
  });

  it('maps cell (x, y) to [floor((2x+1)/s), floor((2y+1)/s), floor((2x+12)/s), floor((2y+12)/s)]', () => {
    const out = pnetMap(3, 4, [{ x: 3, y: 2, p: 0.9 }]);
    // s = 1: [7, 5, 18, 16]; s = 0.5: [14, 10, 36, 32]; s = 0.25: [28, 20, 72, 64].
    expect(pnetCandidates(out, 1, 0, 0.6)[0].box).toEqual([7, 5, 18, 16]);
    expect(pnetCandidates(out, 0.5, 0, 0.6)[0].box).toEqual([14, 10, 36, 32]);
    expect(pnetCandidates(out, 0.25, 0, 0.6)[0].box).toEqual([28, 20, 72, 64]);
  });

  it('takes the offsets of its own cell from reg (HWC, the 4 offsets last), the score, and the level', () => {
    const out = pnetMap(2, 2, [
      { x: 1, y: 0, p: 0.75, reg: [0.125, -0.25, 0.5, -1] },
      { x: 0, y: 1, p: 0.625, reg: [1, 2, 3, 4] },
    ]);
    const c = pnetCandidates(out, 1, 7, 0.6);
    expect(c).toHaveLength(2);
    // Cell (1, 0) is flat index 1: reg[4..8); cell (0, 1) is index 2: reg[8..12).
    expect(c[0]).toEqual({
      level: 7,
      cell: [1, 0],
      box: [3, 1, 14, 12],
      score: 0.75,
      offsets: [0.125, -0.25, 0.5, -1],
    });
    expect(c[1]).toEqual({ level: 7, cell: [0, 1], box: [1, 3, 12, 14], score: 0.625, offsets: [1, 2, 3, 4] });
  });

  it('returns nothing for an empty or all-below map', () => {
    expect(pnetCandidates(pnetMap(0, 0, []), 1, 0, 0.6)).toEqual([]);
    expect(pnetCandidates(pnetMap(2, 2, [{ x: 0, y: 0, p: 0.5 }]), 1, 0, 0.6)).toEqual([]);
  });
});

describe('pnetCandidates float32 box division (pipeline step 5)', () => {
  // Cells whose window edge differs between the float64 division and the float32 one.
  const flips: Array<{ s: number; x: number; k: 1 | 12; f64: number; f32: number }> = [];
  for (const s of [0.6, 0.6 * 0.709]) {
    for (let x = 0; x <= 400; x++) {
      for (const k of [1, 12] as const) {
        const f64 = Math.floor((2 * x + k) / s);
        const f32 = Math.floor(Math.fround((2 * x + k) / Math.fround(s)));
        if (f64 !== f32) flips.push({ s, x, k, f64, f32 });
      }
    }
  }

  it('such cells exist', () => {
    expect(flips.length).toBeGreaterThan(0);
  });

  it('uses the float32 result for every such cell, along x and along y', () => {
    for (const { s, x, k, f32 } of flips) {
      // One hot cell at column x of a 1-row map, and at row x of a 1-column map.
      const row = pnetCandidates(pnetMap(1, x + 1, [{ x, y: 0, p: 0.9 }]), s, 0, 0.6);
      const col = pnetCandidates(pnetMap(x + 1, 1, [{ x: 0, y: x, p: 0.9 }]), s, 0, 0.6);
      expect(row).toHaveLength(1);
      expect(col).toHaveLength(1);
      expect(row[0].box[k === 1 ? 0 : 2], `s=${s} x=${x} k=${k}`).toBe(f32);
      expect(col[0].box[k === 1 ? 1 : 3], `s=${s} y=${x} k=${k}`).toBe(f32);
    }
  });
});

describe('kthLargest', () => {
  it('equals the k-th of a descending sort, on random data with many ties', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const values = Float32Array.from({ length: n }, () => Math.round(rand() * 20) / 20);
      const sorted = Array.from(values).sort((a, b) => b - a);
      for (const k of [1, Math.ceil(n / 2), n]) expect(kthLargest(Float32Array.from(values), k)).toBe(sorted[k - 1]);
    }
  });
});

describe('pnetCandidates with a cap (maxCandidatesPerLevel)', () => {
  it(
    'keeps the `max` highest-scoring cells, ties in row-major ' +
      'order, listed in row-major order, and reports how many passed',
    () => {
      // 3x4 map: scores by cell index; 0.9 twice, 0.8 three times.
      const scores = [0.1, 0.9, 0.8, 0.7, 0.8, 0.5, 0.9, 0.8, 0.6, 0.65, 0.2, 0.7];
      const out = pnetMap(
        3,
        4,
        scores.map((p, i) => ({ x: i % 4, y: Math.floor(i / 4), p })),
      );
      const passing = { count: 0 };
      const idx = (c: { cell: [number, number] }) => c.cell[1] * 4 + c.cell[0];
      // Threshold 0.5: 10 cells pass. Top 4: both 0.9 (1, 6), then the first two 0.8 in row-major order (2, 4).
      expect(pnetCandidates(out, 1, 0, 0.5, 4, passing).map(idx)).toEqual([1, 2, 4, 6]);
      expect(passing.count).toBe(10);
      expect(pnetCandidates(out, 1, 0, 0.5, 2).map(idx)).toEqual([1, 6]);
      expect(pnetCandidates(out, 1, 0, 0.5, 5).map(idx)).toEqual([1, 2, 4, 6, 7]);
      // At or under the cap: exactly the uncapped list.
      expect(pnetCandidates(out, 1, 0, 0.5, 10)).toEqual(pnetCandidates(out, 1, 0, 0.5));
      // Threshold 0 on a map of probability 0 everywhere: every cell passes, the cap keeps the first ones.
      const zeros = pnetMap(100, 100, []);
      const all = { count: 0 };
      expect(pnetCandidates(zeros, 1, 0, 0, 7, all).map(idx)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(all.count).toBe(10_000);
    },
  );

  it(
    'equals the definition on random logits: every cell with faceProbability ' +
      '>= threshold, scores bit-identical; capped, its `max` best',
    () => {
      let seed = 11;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const h = 40;
      const w = 50;
      // Logits in [-4, 4] (probabilities 0.018 .. 0.982), a quarter of them repeated to make ties.
      const logit = new Float32Array(h * w);
      for (let i = 0; i < logit.length; i++) logit[i] = i % 4 === 3 ? logit[i - 1] : rand() * 8 - 4;
      const out: PNetOutput = { logit, reg: new Float32Array(h * w * 4), height: h, width: w };
      for (const t of [0, 0.3, 0.6, 0.9]) {
        const defined: Array<{ i: number; p: number }> = [];
        for (let i = 0; i < logit.length; i++) {
          const p = faceProbability(logit[i], 'divide');
          if (p >= Math.fround(t)) defined.push({ i, p });
        }
        const idx = (c: { cell: [number, number] }) => c.cell[1] * w + c.cell[0];
        const all = pnetCandidates(out, 1, 0, t);
        expect(all.map((c) => [idx(c), c.score])).toEqual(defined.map((d) => [d.i, d.p]));
        // The `max` best: a stable sort by score, descending (ties in row-major order), back in row-major order.
        const max = Math.floor(defined.length / 3);
        const best = defined
          .slice()
          .sort((a, b) => b.p - a.p || a.i - b.i)
          .slice(0, max)
          .sort((a, b) => a.i - b.i);
        const passing = { count: 0 };
        const capped = pnetCandidates(out, 1, 0, t, max, passing);
        expect(capped.map((c) => [idx(c), c.score])).toEqual(best.map((d) => [d.i, d.p]));
        expect(passing.count).toBe(defined.length);
      }
    },
  );

  it('runPNetStage applies the option per level, counts what it dropped, and traces it', async () => {
    const image: RgbImage = { data: new Uint8Array(24 * 24 * 3), width: 24, height: 24 };
    const backend: MtcnnBackend = {
      name: 'fake',
      async runPNet(_level, height, width) {
        const mh = pnetOutputSize(height);
        const mw = pnetOutputSize(width);
        // Logit 0: probability 0.5 in every cell.
        return { logit: new Float32Array(mh * mw), reg: new Float32Array(mh * mw * 4), height: mh, width: mw };
      },
      runRNet: () => Promise.reject(new Error('unused')),
      runONet: () => Promise.reject(new Error('unused')),
      dispose() {},
    };
    const opts = resolveOptions({
      minFaceSize: 12,
      scaleFactor: 0.5,
      thresholds: [0, 0.7, 0.7],
      maxCandidatesPerLevel: 10,
    });
    // Levels 25x25 (map 8x8 = 64 cells) and 13x13 (2x2 = 4): 10 + 4 kept, 54 dropped.
    const r = await runPNetStage(backend, image, opts, true, () => undefined);
    expect(r.candidateCount).toBe(14);
    expect(r.droppedCount).toBe(54);
    expect(r.trace!.levels.map((l) => [l.candidates, l.dropped])).toEqual([
      [10, 54],
      [4, undefined],
    ]);
    expect(r.trace!.candidates).toHaveLength(14);
  });
});

describe('runPNetStage', () => {
  it('runs P-Net per level, NMS per level then across levels, regresses (no +1) and squares', async () => {
    // 24x24, minFaceSize 12, factor 0.5: scales [1, 0.5]; levels 25x25 (map 8x8) and 13x13 (map 2x2).
    const image: RgbImage = { data: new Uint8Array(24 * 24 * 3), width: 24, height: 24 };
    const opts = resolveOptions({ minFaceSize: 12, scaleFactor: 0.5, nmsThresholds: [0.5, 0.1, 0.7, 0.7] });
    const seen: Array<[number, number, number]> = [];
    const backend: MtcnnBackend = {
      name: 'fake',
      async runPNet(level, height, width) {
        seen.push([height, width, level.length]);
        const mh = pnetOutputSize(height);
        const mw = pnetOutputSize(width);
        if (height === 25) {
          // A: box [1, 1, 12, 12]; B: [3, 1, 14, 12], IoU with A 99/143 > 0.5, so dropped on this level.
          return pnetMap(mh, mw, [
            { x: 0, y: 0, p: 0.9 },
            { x: 1, y: 0, p: 0.8 },
          ]);
        }
        // C at s = 0.5: [2, 2, 24, 24]; IoU with A = 100/505 ~ 0.198 > 0.1: C (better) drops A across levels.
        return pnetMap(mh, mw, [{ x: 0, y: 0, p: 0.95, reg: [0.125, 0, 0, 0.25] }]);
      },
      runRNet: () => Promise.reject(new Error('unused')),
      runONet: () => Promise.reject(new Error('unused')),
      dispose() {},
    };
    let checkpoints = 0;
    const r = await runPNetStage(backend, image, opts, true, () => checkpoints++);
    expect(r.scales).toEqual([1, 0.5]);
    expect(seen).toEqual([
      [25, 25, 25 * 25 * 3],
      [13, 13, 13 * 13 * 3],
    ]);
    expect(checkpoints).toBe(2);
    expect(r.candidateCount).toBe(3);
    // Candidate ids in level order: A = 0, B = 1, C = 2.
    expect(r.ids).toEqual([2]);
    expect(r.scores).toEqual([Math.fround(0.95)]);
    // Regress C (w = h = 22): x1 = 2 + 0.125*22 = 4.75, y2 = 24 + 0.25*22 = 29.5 -> [4.75, 2, 24, 29.5];
    // square: l = 27.5, x1 = 4.75 + 9.625 - 13.75 = 0.625 -> [0.625, 2, 28.125, 29.5].
    expect(r.boxes).toEqual([[0.625, 2, 28.125, 29.5]]);

    const t = r.trace!;
    expect(
      t.levels.map((l) => [l.scale, l.height, l.width, l.mapHeight, l.mapWidth, l.candidates, l.afterNms]),
    ).toEqual([
      [1, 25, 25, 8, 8, 2, 1],
      [0.5, 13, 13, 2, 2, 1, 1],
    ]);
    expect(t.candidates.map((c) => c.id)).toEqual([0, 1, 2]);
    expect(t.candidates[1].scaleNms).toMatchObject({ kept: false, by: 0 });
    expect(t.candidates[1].crossNms).toBeUndefined();
    expect(t.candidates[0].scaleNms).toEqual({ kept: true });
    expect(t.candidates[0].crossNms).toMatchObject({ kept: false, by: 2 });
    expect(t.candidates[2].crossNms).toEqual({ kept: true });
    expect(t.candidates[2].regressed).toEqual([4.75, 2, 24, 29.5]);
    expect(t.candidates[2].squared).toEqual([0.625, 2, 28.125, 29.5]);
  });

  it(
    'with calls in flight (inFlight 3): level k + 1 is resampled before level k ' +
      'settles, levels settle out of order, the result is the sequential one',
    async () => {
      // 96x96, minFaceSize 12, factor 0.5: levels 97 (map 44), 49 (20), 25 (8), 13 (2).
      const image: RgbImage = { data: new Uint8Array(96 * 96 * 3).map((_, i) => (i * 7) % 251), width: 96, height: 96 };
      const opts = resolveOptions({ minFaceSize: 12, scaleFactor: 0.5 });
      /** Candidates hashed from the level's pixels, so each level's map depends on its own input. */
      const mapOf = (level: Float32Array, height: number, width: number): PNetOutput => {
        const mh = pnetOutputSize(height);
        const mw = pnetOutputSize(width);
        const hot: Hot[] = [];
        for (let i = 0; i < mh * mw; i += 3)
          hot.push({
            x: i % mw,
            y: Math.floor(i / mw),
            p: 0.5 + 0.5 * Math.abs(Math.sin(level[(i * 3) % level.length] * 1000 + i)),
            reg: [0.01, -0.02, 0.03, 0.04],
          });
        return pnetMap(mh, mw, hot);
      };
      /** Runs wait until released (`gates`, by level height); with `auto`, each is released as it starts. */
      const make = (
        inFlight: number | undefined,
        events: string[],
        gates: Map<number, () => void>,
        auto: boolean,
      ): MtcnnBackend => ({
        name: 'fake',
        inFlight,
        async runPNet(level, height, width) {
          events.push(`start ${height}`);
          const copy = level.slice();
          if (!auto) await new Promise<void>((r) => gates.set(height, r));
          events.push(`end ${height}`);
          return mapOf(copy, height, width);
        },
        runRNet: () => Promise.reject(new Error('unused')),
        runONet: () => Promise.reject(new Error('unused')),
        dispose() {},
      });
      const until = async (ok: () => boolean): Promise<void> => {
        while (!ok()) await new Promise((r) => setTimeout(r, 0));
      };
      const seqEvents: string[] = [];
      const parEvents: string[] = [];
      const gates = new Map<number, () => void>();
      const seq = await runPNetStage(make(undefined, seqEvents, gates, true), image, opts, true, () => {});
      const running = runPNetStage(make(3, parEvents, gates, false), image, opts, true, () => {});
      // Three levels in flight before any settles; release them out of order (49 before 97).
      await until(() => gates.size === 3);
      expect(parEvents).toEqual(['start 97', 'start 49', 'start 25']);
      for (const h of [49, 97, 25]) {
        gates.get(h)!();
        await until(() => parEvents.includes(`end ${h}`));
      }
      await until(() => gates.has(13));
      gates.get(13)!();
      const par = await running;
      expect(seqEvents).toEqual([
        'start 97',
        'end 97',
        'start 49',
        'end 49',
        'start 25',
        'end 25',
        'start 13',
        'end 13',
      ]);
      expect(par.candidateCount).toBeGreaterThan(100);
      expect({ ...par, pyramidMs: 0, postMs: 0 }).toEqual({ ...seq, pyramidMs: 0, postMs: 0 });
    },
  );

  it('an abort with levels in flight rejects only after they have settled', async () => {
    const image: RgbImage = { data: new Uint8Array(96 * 96 * 3), width: 96, height: 96 };
    let running = 0;
    const backend: MtcnnBackend = {
      name: 'fake',
      inFlight: 3,
      async runPNet(_level, height, width) {
        running++;
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return pnetMap(pnetOutputSize(height), pnetOutputSize(width), []);
      },
      runRNet: () => Promise.reject(new Error('unused')),
      runONet: () => Promise.reject(new Error('unused')),
      dispose() {},
    };
    let k = 0;
    const stop = (): void => {
      if (++k === 3) throw new Error('aborted');
    };
    await expect(
      runPNetStage(backend, image, resolveOptions({ minFaceSize: 12, scaleFactor: 0.5 }), false, stop),
    ).rejects.toThrow('aborted');
    expect(running).toBe(0);
  });

  it('gives no trace unless asked, and nothing for an image below one P-Net window', async () => {
    const image: RgbImage = { data: new Uint8Array(10 * 10 * 3), width: 10, height: 10 };
    const backend = {
      name: 'fake',
      runPNet: () => Promise.reject(new Error('must not run')),
      runRNet: () => Promise.reject(new Error('unused')),
      runONet: () => Promise.reject(new Error('unused')),
      dispose() {},
    } satisfies MtcnnBackend;
    const r = await runPNetStage(backend, image, resolveOptions(), false, () => {});
    expect(r).toMatchObject({ scales: [], candidateCount: 0, boxes: [], scores: [], ids: [] });
    expect(r.trace).toBeUndefined();
  });
});

describe('cellBox', () => {
  it('maps a cell to its 12x12 window divided by the scale (hand-computed)', () => {
    // Scale 1: cell (0, 0) sees level pixels [0, 12) -> [floor(1/1), .., floor(12/1)].
    expect(cellBox(0, 0, 1)).toEqual([1, 1, 12, 12]);
    // Scale 0.5: cell (3, 1) -> x: floor(7/0.5)=14, floor(18/0.5)=36; y: floor(3/0.5)=6, floor(14/0.5)=28.
    expect(cellBox(3, 1, 0.5)).toEqual([14, 6, 36, 28]);
  });
});
