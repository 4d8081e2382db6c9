import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { MtcnnBackend, RgbImage } from '@mtcnn/core';

/** The public-domain sample bundled in the repo: the astronaut at 4 sizes (4 faces). */
export const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));

/** The sample decoded and downscaled to `width` (area-averaged by sharp; any fixed pixels do). */
export async function sampleRgb(width = 400): Promise<RgbImage> {
  const { data, info } = await sharp(SAMPLE)
    .resize({ width })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** Encode RGB pixels with sharp in the given format. */
export function encode(
  img: RgbImage,
  format: 'png' | 'jpeg' | 'webp-lossless' | 'gif' | 'avif-lossless' | 'tiff' | 'png16',
): Promise<Buffer> {
  const s = sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } });
  switch (format) {
    case 'png':
      return s.png().toBuffer();
    case 'png16':
      return s.toColourspace('rgb16').png().toBuffer();
    case 'jpeg':
      return s.jpeg({ quality: 95 }).toBuffer();
    case 'webp-lossless':
      return s.webp({ lossless: true }).toBuffer();
    case 'gif':
      return s.gif().toBuffer();
    case 'avif-lossless':
      return s.avif({ lossless: true }).toBuffer();
    case 'tiff':
      return s.tiff({ compression: 'lzw' }).toBuffer();
  }
}

/** Rotate RGB pixels 90° clockwise (what a viewer does for EXIF orientation 6). */
export function rotate90(img: RgbImage): RgbImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // (x, y) goes to (h - 1 - y, x) in the w-tall, h-wide result.
      const o = (x * h + (h - 1 - y)) * 3;
      const i = (y * w + x) * 3;
      out[o] = data[i];
      out[o + 1] = data[i + 1];
      out[o + 2] = data[i + 2];
    }
  }
  return { data: out, width: h, height: w };
}

/**
 * A PNG whose header declares `width` x `height` but that holds almost no data: the "decompression
 * bomb" shape. Built by hand: signature, IHDR with a correct CRC, an empty IDAT, IEND.
 */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(tb));
    return Buffer.concat([len, tb, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.alloc(0)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** The largest astronaut tile of the sample alone, resized to `side` x `side`: one face, few pixels. */
export async function tileRgb(side: number): Promise<RgbImage> {
  const { data, info } = await sharp(SAMPLE)
    .extract({ left: 16, top: 16, width: 384, height: 384 })
    .resize(side, side)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/**
 * `inner` with an abort fired as soon as the first pyramid level's P-Net returns; `levels()`
 * counts the P-Net runs that returned since the last `reset()`. Keeps `pixelLayout`; keeps
 * `inFlight` only if asked (without it the detector awaits each level: nothing starts after the abort).
 */
export function abortAfterFirstLevel(
  inner: MtcnnBackend,
  controller: AbortController,
  keepInFlight = false,
): { backend: MtcnnBackend; levels(): number; reset(): void } {
  let levels = 0;
  return {
    reset: () => {
      levels = 0;
    },
    backend: {
      name: inner.name,
      pixelLayout: inner.pixelLayout,
      inFlight: keepInFlight ? inner.inFlight : undefined,
      runPNet: async (...a) => {
        const r = await inner.runPNet(...a);
        if (++levels === 1) controller.abort(new Error('user cancelled'));
        return r;
      },
      runRNet: (...a) => inner.runRNet(...a),
      runONet: (...a) => inner.runONet(...a),
      dispose: () => inner.dispose(),
    },
    levels: () => levels,
  };
}
