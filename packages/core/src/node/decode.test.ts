import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** A message and code, for the hostile cases below. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MtcnnError);
    return { code: (e as MtcnnError).code, message: (e as MtcnnError).message };
  }
  return { code: 'resolved', message: '' };
}

/** A small real JPEG (the sample at 48x25, about 1.7 KB) whose frame header is patched to claim `w` x `h`. */
async function lyingJpeg(w: number, h: number): Promise<Buffer> {
  const small = await sharp(SAMPLE).resize(48).jpeg({ quality: 90 }).toBuffer();
  const sof = small.indexOf(Buffer.from([0xff, 0xc0]));
  small.writeUInt16BE(h, sof + 5);
  small.writeUInt16BE(w, sof + 7);
  return small;
}

describe('loadImage, hostile inputs (issue 16)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtcnn-hostile-'));

  it('refuses a FIFO at once, without waiting for a writer (it hung the batch)', async () => {
    const fifo = join(dir, 'pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    const f = await failure(loadImage(fifo));
    expect(f.code).toBe('DECODE_FAILED');
    expect(f.message).toContain('a FIFO (named pipe), not a regular file');
  });

  it('refuses a device, also behind a symbolic link named .jpg (/dev/zero was read without limit)', async () => {
    const link = join(dir, 'evil.jpg');
    symlinkSync('/dev/zero', link);
    const f = await failure(loadImage(link));
    expect(f).toEqual({ code: 'DECODE_FAILED', message: expect.stringContaining('a character device') });
    expect((await failure(loadImage('/dev/zero'))).code).toBe('DECODE_FAILED');
    expect((await failure(loadImage(dir))).message).toContain('a directory');
  });

  it('refuses a file over maxFileBytes before reading it, and a buffer over it', async () => {
    const bytes = readFileSync(SAMPLE);
    const f = await failure(loadImage(SAMPLE, { maxFileBytes: bytes.length - 1 }));
    expect(f.code).toBe('IMAGE_TOO_LARGE');
    expect(f.message).toContain(`is ${bytes.length} bytes, over maxFileBytes (${bytes.length - 1})`);
    expect((await failure(loadImage(bytes, { maxFileBytes: 100 }))).code).toBe('IMAGE_TOO_LARGE');
    expect((await loadImage(SAMPLE, { maxFileBytes: bytes.length })).width).toBe(800);
  });

  it('refuses from the header a 1.7 KB JPEG that claims 10000x10000 (it decoded to grey in 40 s, 2.3 GB)', async () => {
    const liar = await lyingJpeg(10_000, 10_000);
    expect(liar.length).toBeLessThan(2500);
    const f = await failure(loadImage(liar));
    expect(f.code).toBe('DECODE_FAILED');
    expect(f.message).toMatch(
      /claims 10000x10000 pixels, but the file is \d+ bytes and a complete one needs at least \d+/,
    );
  });

  it('refuses a truncated photo with an EOI marker appended (libjpeg only warned: 4 faces of 5)', async () => {
    const photo = readFileSync(SAMPLE);
    const cut = Buffer.concat([photo.subarray(0, Math.floor(photo.length * 0.6)), Buffer.from([0xff, 0xd9])]);
    const f = await failure(loadImage(cut));
    expect(f.code).toBe('DECODE_FAILED');
    expect(f.message).toMatch(/premature end|corrupt/i);
  });

  it(
    'refuses SVG (a 184-byte one with a blur filter ran 8 ' + 'minutes) as UNSUPPORTED_FORMAT, before libvips sees it',
    async () => {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"><filter id="b"><feGaussianBlur ' +
          'stdDeviation="999"/></filter><rect width="100%" height="100%" filter="url(#b)"/></svg>',
      );
      expect(svg.length).toBeLessThan(200);
      const path = join(dir, 'bomb.png');
      writeFileSync(path, svg);
      // Bounded even if the refusal regressed: libvips would be stopped after 10 s, the wait after 60.
      const bounded = { timeoutSeconds: 10, signal: AbortSignal.timeout(60_000) };
      for (const source of [svg, path]) {
        const f = await failure(loadImage(source, bounded));
        expect(f.code).toBe('UNSUPPORTED_FORMAT');
        expect(f.message).toContain('SVG');
      }
    },
  );

  it('an abort takes effect while the image is decoded', async () => {
    const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#406080' } })
      .jpeg()
      .toBuffer();
    const controller = new AbortController();
    const pending = loadImage(big, { signal: controller.signal });
    setImmediate(() => controller.abort(new Error('stop')));
    expect((await failure(pending)).code).toBe('ABORTED');
    expect((await failure(loadImage(big, { signal: AbortSignal.abort() }))).code).toBe('ABORTED');
  });

  it(
    'validates maxPixels against what the decoder can do ' + '(2^30), and honours values over sharp default 268 MP',
    async () => {
      for (const maxPixels of [1e300, 2 ** 53, 0, Number.NaN]) {
        const f = await failure(loadImage(readFileSync(SAMPLE), { maxPixels }));
        expect(f.code).toBe('INVALID_OPTION');
      }
      // A PNG header claiming 20000x15000 = 300 MP (with room for it, so only the decoder can object).
      const png = Buffer.concat([await sharp(SAMPLE).resize(16).png().toBuffer(), Buffer.alloc(400_000)]);
      png.writeUInt32BE(20_000, 16);
      png.writeUInt32BE(15_000, 20);
      expect((await failure(loadImage(png))).code).toBe('IMAGE_TOO_LARGE'); // default 100 MP
      const over = await failure(loadImage(png, { maxPixels: 2 ** 30 }));
      expect(over.code).toBe('DECODE_FAILED'); // read past the header: not refused by sharp's 0x3FFF^2 default
      expect(over.message).not.toMatch(/pixel limit/);
    },
  );
});
