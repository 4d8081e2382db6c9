import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FILE, SHARD_FILE, WEIGHTS_SHA256 } from './manifest.js';
import { MtcnnError } from '@mtcnn/core';
import { defaultWeightsDir, loadWeights } from './node.js';

describe('loadWeights (node)', () => {
  it("loads and verifies the weights from the package's own weights/ directory", async () => {
    expect(defaultWeightsDir()).toMatch(/models[\\/]weights$/);
    const w = await loadWeights();
    expect(w.sha256).toBe(WEIGHTS_SHA256);
    expect(w.get('onet/fc1/weights').shape).toEqual([1152, 256]);
  });

  it('reads from an explicit dir, and reports a missing dir as WEIGHTS_FETCH', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mtcnn-weights-'));
    try {
      await expect(loadWeights({ dir })).rejects.toMatchObject({ code: 'WEIGHTS_FETCH' });
      await copyFile(join(defaultWeightsDir(), MANIFEST_FILE), join(dir, MANIFEST_FILE));
      await copyFile(join(defaultWeightsDir(), SHARD_FILE), join(dir, SHARD_FILE));
      expect((await loadWeights({ dir })).sha256).toBe(WEIGHTS_SHA256);
      await writeFile(join(dir, SHARD_FILE), new Uint8Array(16));
      const e = await loadWeights({ dir }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(MtcnnError);
      expect((e as MtcnnError).code).toBe('WEIGHTS_CHECKSUM');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
