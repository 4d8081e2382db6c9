import { describe, expect, it } from 'vitest';
import type { Box } from '../box.js';
import type { RgbImage } from '../image.js';
import { areaSampler } from '../resample.js';
import { scratchPool } from '../scratch.js';
import { runOnCrops } from './batch.js';

/** 40 x 30 RGB image, pixel value = (x + 2y + c) % 256. */
function image(): RgbImage {
  const width = 40;
  const height = 30;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (x + 2 * y + c) % 256;
  return { data, width, height };
}

/** A "network" whose outputs are functions of each crop alone: its first value and its sum. */
function network(size: number) {
  const per = size * size * 3;
  let running = 0;
  let maxRunning = 0;
  const counts: number[] = [];
  const run = async (crops: Float32Array, count: number) => {
    counts.push(count);
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((r) => setTimeout(r, 1));
    const logit = new Float32Array(count);
    const reg = new Float32Array(count * 4);
    for (let i = 0; i < count; i++) {
      let s = 0;
      for (let k = 0; k < per; k++) s += crops[i * per + k];
      logit[i] = crops[i * per];
      reg.fill(s, i * 4, i * 4 + 4);
    }
    running--;
    return { logit, reg };
  };
  return { run, counts, maxRunning: () => maxRunning };
}

const boxes: Box[] = Array.from({ length: 37 }, (_, i) => [
  i % 20,
  (i * 3) % 15,
  (i % 20) + 5 + (i % 7),
  ((i * 3) % 15) + 5 + (i % 7),
]);

describe('runOnCrops', () => {
  it('depth 1: one call with every crop', async () => {
    const img = image();
    const net = network(12);
    const { out, windows } = await runOnCrops(
      net.run,
      img,
      boxes,
      12,
      'grey-pad',
      areaSampler(img),
      'hwc',
      scratchPool(),
      { depth: 1, minChunk: 4, maxChunk: 8 },
    );
    expect(net.counts).toEqual([37]);
    expect(out.logit).toHaveLength(37);
    expect(windows).toHaveLength(37);
  });

  it('depth 1: at most maxBatch crops a call, outputs concatenated in box order equal to one batch', async () => {
    const img = image();
    const one = network(12);
    const whole = await runOnCrops(one.run, img, boxes, 12, 'grey-pad', areaSampler(img), 'hwc', scratchPool(), {
      depth: 1,
      minChunk: 4,
      maxChunk: 8,
    });
    const net = network(12);
    const split = await runOnCrops(net.run, img, boxes, 12, 'grey-pad', areaSampler(img), 'hwc', scratchPool(), {
      depth: 1,
      minChunk: 4,
      maxChunk: 8,
      maxBatch: 10,
    });
    expect(net.counts).toEqual([10, 10, 10, 7]);
    expect(net.maxRunning()).toBe(1);
    expect(Array.from(split.out.logit)).toEqual(Array.from(whole.out.logit));
    expect(Array.from(split.out.reg)).toEqual(Array.from(whole.out.reg));
    expect(split.windows).toEqual(whole.windows);
  });

  it(
    'depth 3: chunks of clamp(ceil(n / 6), min, max), at most 3 in ' +
      'flight, outputs concatenated in box order equal to one batch',
    async () => {
      const img = image();
      const one = await runOnCrops(
        network(12).run,
        img,
        boxes,
        12,
        'grey-pad',
        areaSampler(img),
        'chw',
        scratchPool(),
        {
          depth: 1,
          minChunk: 4,
          maxChunk: 8,
        },
      );
      for (const [min, max, chunk] of [
        [4, 8, 7],
        [2, 5, 5],
        [10, 64, 10],
      ] as const) {
        const net = network(12);
        const got = await runOnCrops(net.run, img, boxes, 12, 'grey-pad', areaSampler(img), 'chw', scratchPool(), {
          depth: 3,
          minChunk: min,
          maxChunk: max,
        });
        const sizes = Array.from({ length: Math.ceil(37 / chunk) }, (_, k) => Math.min(chunk, 37 - k * chunk));
        expect(net.counts).toEqual(sizes);
        expect(net.maxRunning()).toBeLessThanOrEqual(3);
        expect(Array.from(got.out.logit)).toEqual(Array.from(one.out.logit));
        expect(Array.from(got.out.reg)).toEqual(Array.from(one.out.reg));
        expect(got.windows).toEqual(one.windows);
      }
    },
  );

  it('a failed chunk rejects the whole batch, after the chunks in flight have settled', async () => {
    const img = image();
    let settled = 0;
    let calls = 0;
    const run = async (_: Float32Array, count: number) => {
      const k = calls++;
      await new Promise((r) => setTimeout(r, k === 1 ? 1 : 20));
      settled++;
      if (k === 1) throw new Error('chunk 1 failed');
      return { logit: new Float32Array(count) };
    };
    await expect(
      runOnCrops(run, img, boxes, 12, 'zero-pad', areaSampler(img), 'hwc', scratchPool(), {
        depth: 3,
        minChunk: 4,
        maxChunk: 4,
      }),
    ).rejects.toThrow('chunk 1 failed');
    expect(settled).toBe(calls); // nothing still running on the batch's buffers
  });
});
