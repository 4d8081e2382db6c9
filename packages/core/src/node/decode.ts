import { readFile } from 'node:fs/promises';
import { MtcnnError } from '../errors.js';
import type { RgbImage } from '../image.js';
import { DEFAULT_OPTIONS } from '../options.js';

export interface LoadImageOptions {
  /** Rotate by the EXIF orientation tag (default true). The `reference` preset's users turn it off. */
  autoOrient?: boolean;
  /** Refuse images whose header declares more pixels than this, before decoding (default 100 megapixels). */
  maxPixels?: number;
}

type Sharp = typeof import('sharp');

let sharpModule: Promise<Sharp> | undefined;
async function getSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then(
    (m) => (m as unknown as { default?: Sharp }).default ?? (m as unknown as Sharp),
    (cause: unknown) => {
      sharpModule = undefined;
      // Named plainly: without it the failure would surface from wherever the first image is read.
      throw new MtcnnError(
        'MISSING_DEPENDENCY',
        `Decoding image files and bytes in Node needs sharp, an optional peer dependency of @mtcnn/core that is not installed here (${String(cause)}): npm install sharp. Raw pixels ({ data, width, height, channels }) need no decoder.`,
        { cause },
      );
    },
  );
  return sharpModule;
}

/**
 * Decode an image file (path) or encoded bytes (JPEG, PNG, WebP, ...) to 8-bit RGB with `sharp`,
 * whose JPEG decoding is bit-identical to the reference's (PIL / libjpeg-turbo). Alpha is dropped
 * and grey replicated, like PIL's `convert('RGB')`; an embedded ICC profile is ignored, like PIL.
 */
export async function loadImage(source: string | Uint8Array, options: LoadImageOptions = {}): Promise<RgbImage> {
  const sharp = await getSharp();
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = await readFile(source);
    } catch (cause) {
      throw new MtcnnError('DECODE_FAILED', `Cannot read image file ${source}: ${(cause as Error).message}`, { cause });
    }
  } else {
    bytes = source;
  }
  const what = typeof source === 'string' ? source : 'image buffer';
  if (bytes.length === 0) throw new MtcnnError('DECODE_FAILED', `${what} is empty (0 bytes).`);
  try {
    // ignoreIcc: the reference (PIL), and the data the networks were trained on, use the stored
    // pixel values; converting through an embedded ICC profile shifts them (bbt5.jpg's face count changes).
    const maxPixels = options.maxPixels ?? DEFAULT_OPTIONS.maxPixels;
    // The header alone gives the size: refuse huge images before libvips allocates them.
    const meta = await sharp(bytes).metadata();
    if (meta.width !== undefined && meta.height !== undefined && meta.width * meta.height > maxPixels) {
      throw new MtcnnError(
        'IMAGE_TOO_LARGE',
        `${what} is ${meta.width}x${meta.height} = ${meta.width * meta.height} pixels, over maxPixels (${maxPixels}). Downscale it, or raise maxPixels.`,
      );
    }
    let pipeline = sharp(bytes, {
      failOn: 'error',
      ignoreIcc: true,
      limitInputPixels: Math.max(1, Math.floor(maxPixels)),
    });
    if (options.autoOrient !== false) pipeline = pipeline.rotate();
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new MtcnnError('UNSUPPORTED_FORMAT', `${what}: decoded to ${info.channels} channels, expected RGB.`);
    }
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (cause) {
    if (cause instanceof MtcnnError) throw cause;
    const msg = (cause as Error).message ?? String(cause);
    const code = /unsupported image format|Input buffer contains unsupported/i.test(msg)
      ? 'UNSUPPORTED_FORMAT'
      : /exceeds pixel limit/i.test(msg)
        ? 'IMAGE_TOO_LARGE'
        : 'DECODE_FAILED';
    throw new MtcnnError(
      code,
      `Cannot decode ${what}: ${msg}. Is it a complete JPEG, PNG, WebP, GIF, AVIF or TIFF file?`,
      { cause },
    );
  }
}
