import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { claimedSize, describeUnsupported, sniffFormat } from './format.js';

const SAMPLE = fileURLToPath(new URL('../../../../examples/astronaut-collage.jpg', import.meta.url));
const flat = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#808080' } });

describe('sniffFormat', () => {
  it('recognises the six decoded formats by their signatures', async () => {
    const img = flat(8, 8);
    expect(sniffFormat(await img.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffFormat(await img.clone().png().toBuffer())).toBe('png');
    expect(sniffFormat(await img.clone().webp().toBuffer())).toBe('webp');
    expect(sniffFormat(await img.clone().webp({ lossless: true }).toBuffer())).toBe('webp');
    expect(sniffFormat(await img.clone().gif().toBuffer())).toBe('gif');
    expect(sniffFormat(await img.clone().tiff().toBuffer())).toBe('tiff');
    expect(sniffFormat(await img.clone().tiff({ bitdepth: 8 }).toBuffer())).toBe('tiff');
    expect(sniffFormat(await img.clone().avif().toBuffer())).toBe('avif');
  });

  it('refuses SVG, PDF, PPM, HEIC-like boxes, text and short inputs', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    expect(sniffFormat(svg)).toBeUndefined();
    expect(describeUnsupported(svg)).toContain('SVG');
    expect(sniffFormat(Buffer.from('<?xml version="1.0"?>\n<svg/>'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('%PDF-1.7\n'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('P6\n2 2\n255\n'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('\xff\xd8', 'latin1'))).toBeUndefined();
    expect(sniffFormat(new Uint8Array(0))).toBeUndefined();
  });
});

describe('claimedSize: the fewest bytes a complete file can have', () => {
  it('reads a JPEG frame header: size, and 1 bit per 8x8 block of every component', () => {
    const c = claimedSize(readFileSync(SAMPLE), 'jpeg')!;
    expect([c.width, c.height]).toEqual([800, 416]);
    // 4:2:0: luma 100x52 blocks, each chroma 50x26.
    expect(c.minBytes).toBe(Math.ceil((100 * 52 + 2 * 50 * 26) / 8));
  });

  it('holds for the most compressible real files: flat images from mozjpeg (progressive) and 1-bit PNG', async () => {
    const cases = [
      await flat(2000, 2000).jpeg({ mozjpeg: true }).toBuffer(),
      await flat(2000, 2000).toColourspace('b-w').jpeg({ mozjpeg: true }).toBuffer(),
      await flat(2000, 2000).jpeg({ progressive: true, optimiseCoding: true }).toBuffer(),
      await flat(2000, 2000).png({ compressionLevel: 9 }).toBuffer(),
      await flat(2000, 2000).png({ compressionLevel: 9, palette: true, colours: 2 }).toBuffer(),
    ];
    for (const bytes of cases) {
      const c = claimedSize(bytes, sniffFormat(bytes))!;
      expect([c.width, c.height]).toEqual([2000, 2000]);
      expect(bytes.length).toBeGreaterThanOrEqual(c.minBytes);
      // ... and the bound is not loose: within 2x of what the best encoder makes of a flat image.
      if (bytes.length < 20_000) expect(bytes.length).toBeLessThan(2 * c.minBytes);
    }
  });

  it('gives nothing to check for other formats, arithmetic-coded JPEGs and cut headers', async () => {
    expect(claimedSize(await flat(8, 8).webp().toBuffer(), 'webp')).toBeUndefined();
    const jpeg = readFileSync(SAMPLE);
    expect(claimedSize(jpeg.subarray(0, 20), 'jpeg')).toBeUndefined();
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const arithmetic = Buffer.from(jpeg);
    arithmetic[sof + 1] = 0xc9; // SOF9: arithmetic coding
    expect(claimedSize(arithmetic, 'jpeg')).toBeUndefined();
  });
});
