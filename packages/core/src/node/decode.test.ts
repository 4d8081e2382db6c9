import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MtcnnError } from '../errors.js';
import { loadImage } from './decode.js';

const SAMPLE = fileURLToPath(new URL('../../../../examples/astronaut-collage.jpg', import.meta.url));
const TRUNCATED = fileURLToPath(new URL('../../../../../shared/images/public/truncated.jpg', import.meta.url));

/** A 3x2 RGB image with known pixels, encoded losslessly. */
const PIXELS = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
const png = (data: Uint8Array, channels: 1 | 3 | 4, width = 3, height = 2) =>
  sharp(Buffer.from(data), { raw: { width, height, channels } }).png().toBuffer();

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MtcnnError);
    return (e as MtcnnError).code;
  }
  return 'resolved';
}

describe('loadImage', () => {
  it('decodes a PNG buffer to the exact RGB pixels', async () => {
    const img = await loadImage(await png(PIXELS, 3));
    expect([img.width, img.height]).toEqual([3, 2]);
    expect(Array.from(img.data)).toEqual(Array.from(PIXELS));
  });

  it('drops alpha without compositing, like PIL convert("RGB")', async () => {
    const rgba = new Uint8Array(24);
    for (let i = 0; i < 6; i++) rgba.set([...PIXELS.subarray(i * 3, i * 3 + 3), i * 40], i * 4);
    const img = await loadImage(await png(rgba, 4));
    expect(Array.from(img.data)).toEqual(Array.from(PIXELS));
  });

  it('replicates grey to three channels', async () => {
    const img = await loadImage(await png(Uint8Array.from([0, 50, 100, 150, 200, 250]), 1));
    expect(Array.from(img.data.subarray(0, 6))).toEqual([0, 0, 0, 50, 50, 50]);
  });

  it('reads a file path and gives the same pixels as the buffer', async () => {
    const fromPath = await loadImage(SAMPLE);
    const { readFile } = await import('node:fs/promises');
    const fromBuffer = await loadImage(await readFile(SAMPLE));
    expect([fromPath.width, fromPath.height]).toEqual([800, 416]);
    expect(Buffer.compare(Buffer.from(fromPath.data), Buffer.from(fromBuffer.data))).toBe(0);
  });

  it('applies the EXIF orientation unless told not to', async () => {
    // Orientation 6 = rotate 90° clockwise to display: a 3x2 image shows as 2x3.
    const jpeg = await sharp(Buffer.from(PIXELS), { raw: { width: 3, height: 2, channels: 3 } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const turned = await loadImage(jpeg);
    expect([turned.width, turned.height]).toEqual([2, 3]);
    const asStored = await loadImage(jpeg, { autoOrient: false });
    expect([asStored.width, asStored.height]).toEqual([3, 2]);
  });

  // Ignoring the ICC profile is pinned by the parity test: bbt5.jpg carries one, and converting
  // through it changes that image's P-Net counts against the reference.

  it('gives typed errors for bad input', async () => {
    expect(await codeOf(loadImage(new Uint8Array(0)))).toBe('DECODE_FAILED');
    expect(await codeOf(loadImage(Buffer.from('this is not an image at all')))).toBe('UNSUPPORTED_FORMAT');
    expect(await codeOf(loadImage('/nonexistent/dir/photo.jpg'))).toBe('DECODE_FAILED');
    const dir = mkdtempSync(join(tmpdir(), 'mtcnn-decode-'));
    writeFileSync(join(dir, 'empty.jpg'), '');
    expect(await codeOf(loadImage(join(dir, 'empty.jpg')))).toBe('DECODE_FAILED');
  });

  it.skipIf(!existsSync(TRUNCATED))('rejects a truncated JPEG with DECODE_FAILED', async () => {
    expect(await codeOf(loadImage(TRUNCATED))).toBe('DECODE_FAILED');
  });
});
