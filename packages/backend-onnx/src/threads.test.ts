import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWeights, type MtcnnWeights } from '@mtcnn/models/node';
import type { OnnxBackend } from './backend.js';
import { toNCHW } from '@mtcnn/core/backend-kit';
import { createNodeOnnxBackend } from './node-backend.js';
import { randomInput } from './random.test-util.js';

/**
 * The backend with its sessions in worker threads gives exactly the in-process backend's outputs
 * (the same graphs and kernels; large levels split in strips, which the runtime computes the same
 * row for row), and handles dispose and bad input like it.
 */
describe('createNodeOnnxBackend({ workers })', () => {
  let weights: MtcnnWeights;
  let local: OnnxBackend;
  let threaded: OnnxBackend;
  beforeAll(async () => {
    weights = await loadWeights();
    local = await createNodeOnnxBackend({ weights, threads: 1 });
    threaded = await createNodeOnnxBackend({ weights, workers: 2 });
  });
  afterAll(async () => {
    await local?.disposeAsync();
    await threaded?.disposeAsync();
  });

  it('asks the detector for workers + 1 calls in flight; in-process asks for none', () => {
    expect(threaded.inFlight).toBe(3);
    expect(local.inFlight).toBeUndefined();
    expect(threaded.pixelLayout).toBe('chw');
  });

  it('P-Net: a small level and a large one (split between the threads) equal in-process, bit for bit', async () => {
    // 520 x 520 = 270k pixels: above the split threshold, so it runs as 2 strips on 2 threads.
    for (const [h, w, seed] of [
      [61, 47, 1],
      [520, 520, 2],
    ] as const) {
      const level = randomInput(seed, h * w * 3);
      for (const layout of ['hwc', 'chw'] as const) {
        const input = layout === 'hwc' ? level : toNCHW(level, 1, h, w, 3);
        const [a, b] = await Promise.all([local.runPNet(input, h, w, layout), threaded.runPNet(input, h, w, layout)]);
        expect([b.height, b.width]).toEqual([a.height, a.width]);
        expect(
          Buffer.from(b.logit.buffer, b.logit.byteOffset, b.logit.byteLength).equals(
            Buffer.from(a.logit.buffer, a.logit.byteOffset, a.logit.byteLength),
          ),
        ).toBe(true);
        expect(Array.from(b.reg)).toEqual(Array.from(a.reg));
      }
    }
  });

  it('R-Net and O-Net batches equal in-process, bit for bit, and the input is left untouched', async () => {
    const crops = randomInput(3, 70 * 24 * 24 * 3);
    const copy = crops.slice();
    const [a, b] = await Promise.all([local.runRNet(crops, 70), threaded.runRNet(crops, 70)]);
    expect(Array.from(b.logit)).toEqual(Array.from(a.logit));
    expect(Array.from(b.reg)).toEqual(Array.from(a.reg));
    expect(crops).toEqual(copy);
    const big = randomInput(4, 20 * 48 * 48 * 3);
    const [c, d] = await Promise.all([local.runONet(big, 20), threaded.runONet(big, 20)]);
    expect(Array.from(d.logit)).toEqual(Array.from(c.logit));
    expect(Array.from(d.landmarks)).toEqual(Array.from(c.landmarks));
  });

  it('many calls at once all come back, each with its own answer', async () => {
    const inputs = Array.from({ length: 12 }, (_, k) => randomInput(10 + k, 5 * 24 * 24 * 3));
    const got = await Promise.all(inputs.map((x) => threaded.runRNet(x, 5)));
    for (let k = 0; k < inputs.length; k++)
      expect(Array.from(got[k].logit)).toEqual(Array.from((await local.runRNet(inputs[k], 5)).logit));
  });

  it('rejects bad input with the in-process errors', async () => {
    await expect(threaded.runPNet(new Float32Array(10), 11, 12)).rejects.toThrow(RangeError);
    await expect(threaded.runRNet(new Float32Array(24 * 24 * 3), 2)).rejects.toThrow(RangeError);
    await expect(threaded.runONet(new Float32Array(0), 0)).rejects.toThrow(RangeError);
    await expect(createNodeOnnxBackend({ workers: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(createNodeOnnxBackend({ workers: 1.5 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it(
    'dispose: calls in flight and later calls reject with ' + 'DISPOSED; disposeAsync resolves once the threads exit',
    async () => {
      const b = await createNodeOnnxBackend({ weights, workers: 1 });
      const level = randomInput(5, 300 * 300 * 3);
      const pending = [b.runPNet(level, 300, 300), b.runPNet(level, 300, 300)].map((p) =>
        p.then(
          () => 'resolved',
          (e: unknown) => e,
        ),
      );
      await b.disposeAsync();
      for (const p of pending) expect(await p).toMatchObject({ code: 'DISPOSED' });
      await expect(b.runRNet(new Float32Array(24 * 24 * 3), 1)).rejects.toMatchObject({ code: 'DISPOSED' });
      b.dispose(); // idempotent
      await b.disposeAsync();
    },
  );
});

describe('createNodeOnnxBackend({ workers }): what it reports', () => {
  it(
    'the layout it was given (nhwc: HWC pixels, no ' + 'conversion per call) and the outputs of in-process nhwc',
    async () => {
      const weights = await loadWeights();
      const local = await createNodeOnnxBackend({ weights, threads: 1, inputLayout: 'nhwc' });
      const threaded = await createNodeOnnxBackend({ weights, workers: 1, inputLayout: 'nhwc' });
      try {
        expect([threaded.name, threaded.inputLayout, threaded.pixelLayout]).toEqual(['onnx', 'nhwc', 'hwc']);
        const crops = randomInput(6, 3 * 48 * 48 * 3);
        const [a, b] = await Promise.all([local.runONet(crops, 3), threaded.runONet(crops, 3)]);
        expect(Array.from(b.landmarks)).toEqual(Array.from(a.landmarks));
      } finally {
        await Promise.all([local.disposeAsync(), threaded.disposeAsync()]);
      }
    },
  );
});

describe('createNodeOnnxBackend({ workers }) and the process (child processes)', () => {
  const CHILD = fileURLToPath(new URL('./threads-child.test-util.mjs', import.meta.url));
  const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));
  let dir: string;
  let raw: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onnx-threads-'));
    raw = join(dir, '1920x1080.rgb');
    writeFileSync(raw, await sharp(SAMPLE).resize(1920, 1080, { fit: 'fill' }).removeAlpha().raw().toBuffer());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const child = (mode: string) =>
    spawnSync(process.execPath, [CHILD, mode, raw, '1920', '1080'], { encoding: 'utf8', timeout: 300_000 });

  it('dispose() in the middle of a 1080p detection ends the process cleanly (was: SIGABRT, Napi::Error)', () => {
    const r = child('dispose-mid-run');
    expect(r.stderr).not.toContain('terminate called');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/: (DISPOSED|resolved)$/);
    expect(lines[3]).toBe('runPNet, dispose at once: DISPOSED');
  });

  it("a forgotten dispose() does not keep the process alive (idle threads are unref'd)", () => {
    const r = child('forget-dispose');
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('faces: 4\n');
  });
});
