import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadWeights, type MtcnnWeights } from '@mtcnn/models/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TfjsBackend } from './backend.js';
import { createNodeTfjsBackend } from './node-backend.js';
import { randomInput } from './naive.test-util.js';

/** HWC -> CHW, per image. */
function chw(hwc: Float32Array, count: number, h: number, w: number): Float32Array {
  const out = new Float32Array(hwc.length);
  const plane = h * w;
  for (let n = 0; n < count; n++)
    for (let p = 0; p < plane; p++)
      for (let c = 0; c < 3; c++) out[n * plane * 3 + c * plane + p] = hwc[n * plane * 3 + p * 3 + c];
  return out;
}

// The threaded backend splits levels into strips and batches into parts: every output must be
// bit for bit what one in-process tfjs computes.
describe.each(['wasm', 'cpu'] as const)('tfjs-%s on threads', (kind) => {
  let weights: MtcnnWeights;
  let one: TfjsBackend;
  let two: TfjsBackend;
  beforeAll(async () => {
    weights = await loadWeights();
    one = await createNodeTfjsBackend({ backend: kind, weights, threads: 1 });
    two = await createNodeTfjsBackend({ backend: kind, weights, threads: 2 });
  });
  afterAll(() => {
    one?.dispose();
    two?.dispose();
  });

  it('is named like the in-process backend', () => {
    expect(two.name).toBe(`tfjs-${kind}`);
    expect(two.tfBackend).toBe(kind);
  });

  it.each([
    [14, 15],
    [241, 203],
    [560, 560], // 313,600 pixels: 3 strips of <= 150k on 2 threads (one waits in the queue)
  ])('P-Net on a %ix%i level (split in strips when large) equals one thread exactly, HWC or CHW', async (h, w) => {
    const level = randomInput(h + w, h * w * 3);
    const want = await one.runPNet(level, h, w);
    for (const got of [await two.runPNet(level, h, w), await two.runPNet(chw(level, 1, h, w), h, w, 'chw')]) {
      expect([got.height, got.width]).toEqual([want.height, want.width]);
      expect(got.logit).toEqual(want.logit);
      expect(got.reg).toEqual(want.reg);
    }
  });

  it.each([1, 3, 37])('R-Net and O-Net on %i crops (split in parts) equal one thread exactly', async (n) => {
    const r = randomInput(100 + n, n * 24 * 24 * 3);
    const o = randomInput(200 + n, n * 48 * 48 * 3);
    const [wr, wo, gr, go] = await Promise.all([
      one.runRNet(r, n),
      one.runONet(o, n),
      two.runRNet(r, n),
      two.runONet(o, n),
    ]);
    expect(gr).toEqual(wr);
    expect(go).toEqual(wo);
    expect(await two.runONet(chw(o, n, 48, 48), n, 'chw')).toEqual(wo);
  });

  it('validates inputs and rejects runs after dispose with DISPOSED', async () => {
    await expect(two.runPNet(new Float32Array(12 * 12 * 3 - 1), 12, 12)).rejects.toThrow(RangeError);
    await expect(two.runRNet(new Float32Array(24 * 24 * 3), 2)).rejects.toThrow(RangeError);
    const b = await createNodeTfjsBackend({ backend: kind, weights, threads: 2 });
    b.dispose();
    b.dispose();
    await expect(b.runRNet(new Float32Array(24 * 24 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});

describe.each(['wasm', 'cpu'])('tfjs-%s on threads and the process (a child process)', (kind) => {
  it("a forgotten dispose() does not keep the process alive (idle threads are unref'd)", () => {
    const child = fileURLToPath(new URL('./threads-child.test-util.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [child, kind], { encoding: 'utf8', timeout: 300_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('faces: 0\n');
  });
});
