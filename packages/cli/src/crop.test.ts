import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { run } from './program.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('mtcnn crop', () => {
  it('writes one PNG per face, named by image and face index, at --size, and lists them as JSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mtcnn-crop-'));
    const { code, stdout, stderr } = await cli('crop', '--out', out, '--size', '64', SAMPLE);
    expect(code).toBe(0);
    const entries = JSON.parse(stdout);
    // The collage holds the astronaut 4 times.
    expect(entries).toHaveLength(1);
    expect(entries[0].crops).toHaveLength(4);
    expect(readdirSync(out).sort()).toEqual([0, 1, 2, 3].map((i) => `astronaut-collage_${i}.png`));
    for (const c of entries[0].crops) {
      const meta = await sharp(c.path).metadata();
      expect([meta.width, meta.height, meta.channels]).toEqual([64, 64, 3]);
    }
    expect(stderr).toContain('4 faces cropped');
  });

  it('--align gives the same astronaut face from every tile: the four crops look alike', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mtcnn-crop-align-'));
    const { code, stdout } = await cli('crop', '-q', '--align', '--out', out, SAMPLE);
    expect(code).toBe(0);
    const paths: string[] = JSON.parse(stdout)[0].crops.map((c: { path: string }) => c.path);
    const pixels = await Promise.all(paths.map(async (p) => new Uint8Array(await sharp(p).raw().toBuffer())));
    expect(pixels[0]).toHaveLength(112 * 112 * 3);
    // One photo at 384, 224, 128 and 96 px: aligned onto one template, the crops differ by blur and
    // landmark noise only (measured: 12 to 20 grey levels on average; other people's aligned faces
    // in the dev images: 50 to 75).
    const meanDiff = (a: Uint8Array, b: Uint8Array): number =>
      a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
    for (const p of pixels.slice(1)) expect(meanDiff(pixels[0], p)).toBeLessThan(25);
  });

  it('takes the detector flags of detect: the same faces under --preset reference, --nms, --box-format', async () => {
    const flags = ['--preset', 'reference', '--nms', '0.5,0.7,0.7,0.5', '--box-format', 'xyxy', '--min-face', '40'];
    const out = mkdtempSync(join(tmpdir(), 'mtcnn-crop-flags-'));
    const crop = await cli('crop', '-q', '--out', out, ...flags, SAMPLE);
    const detect = await cli('detect', '-q', ...flags, SAMPLE);
    expect([crop.code, detect.code]).toEqual([0, 0]);
    const faces = JSON.parse(crop.stdout)[0].crops.map((c: { face: unknown }) => c.face);
    expect(faces).toEqual(JSON.parse(detect.stdout)[0].faces);
    // --thresholds reaches the detector: O-Net scores are never > 1.
    const none = await cli('crop', '-q', '--out', out, '--thresholds', '0.6,0.7,1', SAMPLE);
    expect(JSON.parse(none.stdout)[0].crops).toEqual([]);
    // A bad value is a usage error, before any image is read.
    expect((await cli('crop', '--out', out, '--border', 'mirror', SAMPLE)).code).toBe(2);
  });

  it('exits 2 without --out or with a bad --size', async () => {
    expect((await cli('crop', SAMPLE)).code).toBe(2);
    expect((await cli('crop', '--out', tmpdir(), '--size', '0', SAMPLE)).code).toBe(2);
  });

  it('reports an unreadable image in its place and exits 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mtcnn-crop-bad-'));
    const { code, stdout } = await cli('crop', '-q', '--out', out, join(out, 'missing.jpg'), SAMPLE);
    expect(code).toBe(1);
    const entries = JSON.parse(stdout);
    expect(entries[0].error.code).toBe('DECODE_FAILED');
    expect(entries[1].crops).toHaveLength(4);
  });
});
