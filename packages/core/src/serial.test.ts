import { describe, expect, it } from 'vitest';
import type { MtcnnBackend, PNetOutput } from './backend.js';
import { inFlightOf, serialBackend } from './serial.js';

/** A backend whose P-Net calls wait until released by the test, recording start order. */
function gatedBackend(inFlight?: number) {
  const started: number[] = [];
  const gates: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const out: PNetOutput = { logit: new Float32Array(1), reg: new Float32Array(4), height: 1, width: 1 };
  const backend: MtcnnBackend = {
    name: 'gated',
    inFlight,
    runPNet: (level) =>
      new Promise((resolve, reject) => {
        started.push(level[0]);
        running++;
        maxRunning = Math.max(maxRunning, running);
        gates.push(() => {
          running--;
          if (level[0] < 0) reject(new Error('boom'));
          else resolve(out);
        });
      }),
    runRNet: () => Promise.reject(new Error('unused')),
    runONet: () => Promise.reject(new Error('unused')),
    dispose() {},
  };
  return { backend, started, gates, maxRunning: () => maxRunning };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('serialBackend', () => {
  it('inFlightOf: integers above 1 count, anything else is 1', () => {
    for (const [v, want] of [
      [undefined, 1],
      [0, 1],
      [1, 1],
      [3, 3],
      [2.5, 1],
      [NaN, 1],
      [-4, 1],
    ] as const) {
      expect(inFlightOf({ inFlight: v } as unknown as MtcnnBackend)).toBe(want);
    }
  });

  for (const limit of [1, 3]) {
    it(
      `inFlight ${limit}: at most ${limit} calls run at once, ` +
        'started in call order; ' +
        'a failed call frees its slot',
      async () => {
        const g = gatedBackend(limit);
        const s = serialBackend(g.backend);
        expect(s.inFlight).toBe(limit);
        const calls = [1, -2, 3, 4, 5, 6].map((v) =>
          s.runPNet(Float32Array.of(v), 12, 12).then(
            () => 'ok',
            () => 'failed',
          ),
        );
        await tick();
        expect(g.started).toEqual([1, -2, 3, 4, 5, 6].slice(0, limit));
        // Release one at a time: each release lets exactly one more start.
        for (let k = 0; k < 6; k++) {
          g.gates[k]();
          await tick();
          expect(g.started.length).toBe(Math.min(6, limit + k + 1));
        }
        expect(await Promise.all(calls)).toEqual(['ok', 'failed', 'ok', 'ok', 'ok', 'ok']);
        expect(g.started).toEqual([1, -2, 3, 4, 5, 6]);
        expect(g.maxRunning()).toBe(limit);
      },
    );
  }

  it(
    'close() rejects the calls waiting for their turn at ' + 'once, and every later call; the running one settles',
    async () => {
      const g = gatedBackend(1);
      const net = serialBackend(g.backend);
      const level = (v: number) => new Float32Array([v]);
      const first = net.runPNet(level(1), 12, 12);
      const waiting = [2, 3, 4].map((v) => net.runPNet(level(v), 12, 12));
      await Promise.resolve();
      expect(g.started).toEqual([1]);
      const gone = new Error('disposed');
      net.close(gone);
      for (const w of waiting) await expect(w).rejects.toBe(gone);
      await expect(net.runPNet(level(5), 12, 12)).rejects.toBe(gone);
      g.gates[0]();
      await expect(first).resolves.toBeDefined();
      expect(g.started).toEqual([1]); // nothing else ever reached the backend
    },
  );
});
