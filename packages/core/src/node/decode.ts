import { constants, open } from 'node:fs/promises';
import { MtcnnError } from '../errors.js';
import type { RgbImage } from '../image.js';
import { raceAbort } from '../input.js';
import { DEFAULT_OPTIONS, defaultMaxFileBytes, MAX_FILE_BYTES_LIMIT, MAX_PIXELS_LIMIT } from '../options.js';
import { claimedSize, describeUnsupported, sniffFormat } from './format.js';

export interface LoadImageOptions {
  /** Rotate by the EXIF orientation tag (default true). The `reference` preset's users turn it off. */
  autoOrient?: boolean;
  /**
   * Refuse images whose header declares more pixels than this, before decoding (default 100
   * megapixels; at most 2^30, `MAX_PIXELS_LIMIT`). sharp is given it as `limitInputPixels`.
   */
  maxPixels?: number;
  /**
   * Refuse files and buffers larger than this many bytes, before reading them (default
   * `defaultMaxFileBytes(maxPixels)`: 8 bytes a pixel + 16 MiB).
   */
  maxFileBytes?: number;
  /** Stop (reject `ABORTED`) when it fires, also while the image is read or decoded. */
  signal?: AbortSignal;
  /**
   * Let libvips itself stop a decode that runs longer than this many seconds (rounded up; sharp's
   * `timeout`). An abort only stops waiting; this stops the work (`DECODE_FAILED`).
   */
  timeoutSeconds?: number;
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
        `Decoding image files and bytes in Node needs sharp, an optional peer ` +
          `dependency of @mtcnn/core that is not installed here (${String(cause)}): npm ` +
          `install sharp. Raw pixels ({ data, width, height, channels }) need no decoder.`,
        { cause },
      );
    },
  );
  return sharpModule;
}

function kindOf(s: import('node:fs').Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes`. Opened without blocking (opening a
 * FIFO for reading would wait for a writer forever) and checked on the open descriptor, so a
 * symbolic link to `/dev/zero` is refused as what it points to, and only the size the file had
 * then is read (a file that grows meanwhile cannot make the read unbounded).
 */
async function readRegularFile(path: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw new MtcnnError('DECODE_FAILED', `Cannot read image file ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      throw new MtcnnError(
        'DECODE_FAILED',
        `${path} is ${kindOf(st)}, not a regular file: only regular ` +
          `files are read as images (a device or a pipe can be endless).`,
      );
    }
    if (st.size > maxBytes) {
      throw new MtcnnError(
        'IMAGE_TOO_LARGE',
        `${path} is ${st.size} bytes, over maxFileBytes (${maxBytes}). Raise ` +
          `maxFileBytes (or maxPixels, which sizes its default) if it is a real image.`,
      );
    }
    const bytes = Buffer.allocUnsafe(st.size);
    let filled = 0;
    while (filled < bytes.length) {
      if (signal?.aborted)
        throw new MtcnnError('ABORTED', 'Detection was aborted by its AbortSignal.', { cause: signal.reason });
      const { bytesRead } = await handle.read(bytes, filled, Math.min(bytes.length - filled, 1 << 24), filled);
      if (bytesRead === 0) break; // shrank meanwhile: what is there
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
  } catch (cause) {
    if (cause instanceof MtcnnError) throw cause;
    throw new MtcnnError('DECODE_FAILED', `Cannot read image file ${path}: ${(cause as Error).message}`, { cause });
  } finally {
    await handle.close();
  }
}

function checkLimits(options: LoadImageOptions): { maxPixels: number; maxFileBytes: number } {
  const maxPixels = options.maxPixels ?? DEFAULT_OPTIONS.maxPixels;
  if (typeof maxPixels !== 'number' || !(maxPixels >= 1 && maxPixels <= MAX_PIXELS_LIMIT)) {
    throw new MtcnnError(
      'INVALID_OPTION',
      `maxPixels must be a number in [1, ${MAX_PIXELS_LIMIT}] (2^30: the most ` +
        `the decoder and the detector's tables can hold), got ${maxPixels}.`,
    );
  }
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes(maxPixels);
  if (typeof maxFileBytes !== 'number' || !(maxFileBytes >= 1 && maxFileBytes <= MAX_FILE_BYTES_LIMIT)) {
    throw new MtcnnError(
      'INVALID_OPTION',
      `maxFileBytes must be a number in [1, ${MAX_FILE_BYTES_LIMIT}], got ${maxFileBytes}.`,
    );
  }
  return { maxPixels: Math.floor(maxPixels), maxFileBytes };
}

/**
 * Decode an image file (path) or encoded bytes (JPEG, PNG, WebP, GIF, AVIF, TIFF) to 8-bit RGB
 * with `sharp`, whose JPEG decoding is bit-identical to the reference's (PIL / libjpeg-turbo).
 * Alpha is dropped and grey replicated, like PIL's `convert('RGB')`; an embedded ICC profile is
 * ignored, like PIL.
 *
 * Before decoding: only regular files are read, at most `maxFileBytes`; only the six formats
 * above are passed to sharp (SVG, PDF and the rest: `UNSUPPORTED_FORMAT`); a JPEG or PNG whose
 * header claims more pixels than its size can hold is `DECODE_FAILED` (format.ts); more than
 * `maxPixels` is `IMAGE_TOO_LARGE`. While decoding, any libjpeg warning (premature end of data,
 * corrupt data) fails the JPEG: such a file decodes to grey or smeared pixels that the cascade
 * would silently read.
 */
export async function loadImage(source: string | Uint8Array, options: LoadImageOptions = {}): Promise<RgbImage> {
  const { maxPixels, maxFileBytes } = checkLimits(options);
  const signal = options.signal;
  const aborted = (): MtcnnError =>
    new MtcnnError('ABORTED', 'Detection was aborted by its AbortSignal.', { cause: signal?.reason });
  if (signal?.aborted) throw aborted();
  const sharp = await getSharp();
  const what = typeof source === 'string' ? source : 'image buffer';
  const bytes = typeof source === 'string' ? await readRegularFile(source, maxFileBytes, signal) : source;
  if (bytes.length === 0) throw new MtcnnError('DECODE_FAILED', `${what} is empty (0 bytes).`);
  if (bytes.length > maxFileBytes) {
    throw new MtcnnError('IMAGE_TOO_LARGE', `${what} is ${bytes.length} bytes, over maxFileBytes (${maxFileBytes}).`);
  }
  const format = sniffFormat(bytes);
  if (!format) {
    throw new MtcnnError(
      'UNSUPPORTED_FORMAT',
      `${what} is ${describeUnsupported(bytes)}. Decoded formats: JPEG, PNG, WebP, GIF, AVIF, TIFF.`,
    );
  }
  const claim = claimedSize(bytes, format);
  if (claim && claim.width * claim.height > maxPixels) {
    throw new MtcnnError(
      'IMAGE_TOO_LARGE',
      `${what} is ${claim.width}x${claim.height} = ${claim.width * claim.height} ` +
        `pixels, over maxPixels (${maxPixels}). Downscale it, or raise maxPixels.`,
    );
  }
  if (claim && bytes.length < claim.minBytes) {
    throw new MtcnnError(
      'DECODE_FAILED',
      `${what}: its ${format.toUpperCase()} header claims ${claim.width}x${claim.height} ` +
        `pixels, but the file is ${bytes.length} bytes and a complete one needs at ` +
        `least ${claim.minBytes} (${claim.rule}): it is truncated or corrupt.`,
    );
  }
  try {
    // The header alone gives the size: refuse huge images before libvips allocates them.
    // limitInputPixels here too: sharp's default (0x3FFF * 0x3FFF) would refuse a larger maxPixels.
    const meta = await raceAbort(sharp(bytes, { limitInputPixels: false }).metadata(), signal);
    if (meta.width !== undefined && meta.height !== undefined && meta.width * meta.height > maxPixels) {
      throw new MtcnnError(
        'IMAGE_TOO_LARGE',
        `${what} is ${meta.width}x${meta.height} = ${meta.width * meta.height} ` +
          `pixels, over maxPixels (${maxPixels}). Downscale it, or raise maxPixels.`,
      );
    }
    // ignoreIcc: the reference (PIL), and the data the networks were trained on, use the stored
    // pixel values; converting through an embedded ICC profile shifts them (bbt5.jpg's face count changes).
    // failOn 'warning' for JPEG: libjpeg reports a truncated or corrupt entropy stream as a warning
    // (a truncated photo with an EOI appended decoded to 4 faces of 5); no FDDB or dev image warns.
    // Other formats keep 'error': libtiff, for one, warns about tags it does not know.
    let pipeline = sharp(bytes, {
      failOn: format === 'jpeg' ? 'warning' : 'error',
      ignoreIcc: true,
      limitInputPixels: maxPixels,
    });
    if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0)
      pipeline = pipeline.timeout({ seconds: Math.min(3600, Math.ceil(options.timeoutSeconds)) });
    if (options.autoOrient !== false) pipeline = pipeline.rotate();
    const { data, info } = await raceAbort(
      pipeline.toColourspace('srgb').removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }),
      signal,
    );
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
