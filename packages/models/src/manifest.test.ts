import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE, TENSOR_NAMES, TENSOR_TABLE, WEIGHTS_BYTE_LENGTH } from './manifest.js';
import { defaultWeightsDir } from './node.js';
import type { WeightsManifest } from './weights.js';

describe('tensor table', () => {
  it('matches the installed manifest exactly (names, shapes, order)', async () => {
    const manifest = JSON.parse(await readFile(join(defaultWeightsDir(), MANIFEST_FILE), 'utf8')) as WeightsManifest;
    const entries = manifest.flatMap((g) => g.weights);
    expect(entries.map((e) => ({ name: e.name, shape: e.shape }))).toEqual(
      TENSOR_TABLE.map((t) => ({ name: t.name, shape: [...t.shape] })),
    );
    expect(entries.every((e) => e.dtype === 'float32')).toBe(true);
  });

  it('has 50 unique tensors totalling the shard size', () => {
    expect(TENSOR_NAMES).toHaveLength(50);
    expect(new Set(TENSOR_NAMES).size).toBe(50);
    expect(TENSOR_NAMES[0]).toBe('pnet/conv1/weights');
    expect(TENSOR_NAMES[49]).toBe('onet/fc2_3/bias');
    const floats = TENSOR_TABLE.reduce((n, t) => n + t.shape.reduce((a: number, b: number) => a * b, 1), 0);
    expect(floats * 4).toBe(WEIGHTS_BYTE_LENGTH);
  });
});
