import { MtcnnError } from './errors.js';
import type { NmsTies } from './nms.js';
import { pyramidLevelCount } from './pyramid.js';

/**
 * The largest `maxPixels` accepted: 2^30 (1,073,741,824 pixels, e.g. 32768 x 32768). The decoded
 * RGB image (3 bytes a pixel, sharp's output Buffer) and the detector's summed-area table (a
 * Uint32Array of 3 entries a pixel, plus a row and a column) must each fit one typed array, at
 * most 2^32 elements in Node 20; 2^30 keeps both under it for any image at least 12 pixels high.
 * sharp's own `limitInputPixels` is set to `maxPixels` for the header and the decode.
 */
export const MAX_PIXELS_LIMIT = 2 ** 30;

/** The most pyramid levels an image may have; more is refused as INVALID_OPTION at createDetector. */
export const MAX_PYRAMID_LEVELS = 100;

/** Default `maxCandidatesPerLevel`. */
export const DEFAULT_MAX_CANDIDATES_PER_LEVEL = 100_000;

/** Upper bound for `maxCandidatesPerLevel`: each candidate kept costs a few hundred bytes of heap. */
export const MAX_CANDIDATES_PER_LEVEL_LIMIT = 1_000_000;

/** Upper bound for `maxFileBytes`: the largest Buffer Node 20 can hold (4 GiB - 1 read in one piece). */
export const MAX_FILE_BYTES_LIMIT = 2 ** 32 - 1;

/**
 * Default `maxFileBytes` for `maxPixels`: 8 bytes a pixel (16-bit RGBA stored uncompressed, the
 * largest a TIFF or PNG of that many pixels usually is) plus 16 MiB for metadata (EXIF, ICC, XMP),
 * capped at `MAX_FILE_BYTES_LIMIT`. 100 megapixels: 816 MiB.
 */
export function defaultMaxFileBytes(maxPixels: number): number {
  return Math.min(MAX_FILE_BYTES_LIMIT, Math.floor(maxPixels) * 8 + 16 * 2 ** 20);
}

/**
 * How the out-of-image part of a box is handled when cropping it for R-Net / O-Net:
 * - `'grey-pad'` (default): the crop keeps the box's geometry; pixels outside the image are
 *   mid-grey (127.5), which is exactly 0 after normalisation. Measured best on FDDB
 *   (docs/accuracy.md): black padding lowers R-Net / O-Net scores of faces cut by the border.
 * - `'zero-pad'`: the same geometry, pixels outside are black (0), as the seed algorithm describes.
 * - `'stretch'`: only the in-image part is taken and stretched to the crop size (the reference).
 */
export type BorderMode = 'grey-pad' | 'zero-pad' | 'stretch';

/** Result box format: `'xywh'` = `[x, y, width, height]` (default), `'xyxy'` = `[x1, y1, x2, y2]`. */
export type BoxFormat = 'xywh' | 'xyxy';

/**
 * `'default'`: the options in `DEFAULT_OPTIONS` (grey-pad borders, EXIF orientation applied),
 * equal scores in a plain stable order. `'reference'`: facenet-pytorch exactly (stretched borders,
 * EXIF orientation ignored, equal scores ordered as the reference's libraries order them:
 * torchvision's and numpy's sorts, `NmsTies` in nms.ts).
 */
export type Preset = 'default' | 'reference';

export interface DetectorOptions {
  /** Starting point for every other option. Explicit options override it. Default `'default'`. */
  preset?: Preset;
  /** Smallest face side to find, in pixels (>= 12). Default 20. */
  minFaceSize?: number;
  /** Pyramid scale step, in (0, 1). Default 0.709. */
  scaleFactor?: number;
  /** Score thresholds for P-Net (>=), R-Net (>) and O-Net (>), each in [0, 1]. Default [0.6, 0.7, 0.7]. */
  thresholds?: readonly [number, number, number];
  /**
   * NMS thresholds: P-Net per scale (IoU), P-Net across scales (IoU), R-Net (IoU), O-Net
   * (intersection over the smaller box, "Min"). Default [0.5, 0.7, 0.7, 0.7].
   */
  nmsThresholds?: readonly [number, number, number, number];
  /** Default `'grey-pad'`; `'stretch'` with the `reference` preset. */
  borderMode?: BorderMode;
  /** Default `'xywh'`. */
  boxFormat?: BoxFormat;
  /** Apply the EXIF orientation when decoding files and bytes. Default true; false with the `reference` preset. */
  autoOrient?: boolean;
  /**
   * Largest image accepted, in pixels (`IMAGE_TOO_LARGE` above it, checked before decoding). Default
   * 100 megapixels; at most `MAX_PIXELS_LIMIT` (2^30), what the decoder and the detector's tables can hold.
   */
  maxPixels?: number;
  /**
   * Largest image file or buffer read, in bytes (`IMAGE_TOO_LARGE` above it, checked before reading).
   * Default `defaultMaxFileBytes(maxPixels)`: 8 bytes a pixel + 16 MiB (816 MiB for 100 megapixels).
   */
  maxFileBytes?: number;
  /**
   * At most this many P-Net candidates per pyramid level go on to NMS: the highest-scoring (ties
   * in row-major order). Bounds memory and work when a low P-Net threshold passes most cells of
   * a large image. Default 100,000 (a dense 20-megapixel mosaic of 100 FDDB photos has at most
   * 9,189 at the default threshold), at most 1,000,000.
   */
  maxCandidatesPerLevel?: number;
}

export interface ResolvedOptions {
  preset: Preset;
  minFaceSize: number;
  scaleFactor: number;
  thresholds: [number, number, number];
  nmsThresholds: [number, number, number, number];
  borderMode: BorderMode;
  boxFormat: BoxFormat;
  autoOrient: boolean;
  maxPixels: number;
  maxFileBytes: number;
  maxCandidatesPerLevel: number;
}

/**
 * The defaults: the one place they are written (the CLI's help text and the README's table
 * read them from here). Frozen: copy before changing.
 */
export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = Object.freeze({
  preset: 'default',
  minFaceSize: 20,
  scaleFactor: 0.709,
  thresholds: Object.freeze([0.6, 0.7, 0.7]) as ResolvedOptions['thresholds'],
  nmsThresholds: Object.freeze([0.5, 0.7, 0.7, 0.7]) as ResolvedOptions['nmsThresholds'],
  borderMode: 'grey-pad',
  boxFormat: 'xywh',
  autoOrient: true,
  maxPixels: 100_000_000,
  maxFileBytes: defaultMaxFileBytes(100_000_000),
  maxCandidatesPerLevel: DEFAULT_MAX_CANDIDATES_PER_LEVEL,
});

const PRESETS: Record<Preset, Readonly<ResolvedOptions>> = {
  default: DEFAULT_OPTIONS,
  // facenet-pytorch: it stretches the in-image part of border crops and reads files as stored
  // (PIL does not apply the EXIF orientation). The one place this rule is written.
  reference: Object.freeze({ ...DEFAULT_OPTIONS, preset: 'reference', borderMode: 'stretch', autoOrient: false }),
};

/** How NMS orders equal scores under these options: the reference's way with its preset (nms.ts). */
export function tiesOf(opts: Pick<ResolvedOptions, 'preset'>): NmsTies {
  return opts.preset === 'reference' ? 'reference' : 'stable';
}

function invalid(message: string): MtcnnError {
  return new MtcnnError('INVALID_OPTION', message);
}

function checkTuple(name: string, v: unknown, length: number, lo: number, hi: number): number[] {
  if (!Array.isArray(v) || v.length !== length) {
    throw invalid(`${name} must be an array of ${length} numbers, got ${JSON.stringify(v)}.`);
  }
  for (const x of v) {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi) {
      throw invalid(`${name} must hold numbers in [${lo}, ${hi}], got ${JSON.stringify(v)}.`);
    }
  }
  return [...v];
}

/** Merge options over their preset and validate them; throws `MtcnnError('INVALID_OPTION')`. */
export function resolveOptions(options: DetectorOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw invalid('Options must be an object.');
  const preset = options.preset ?? 'default';
  if (!Object.hasOwn(PRESETS, preset))
    throw invalid(`preset must be 'default' or 'reference', got ${JSON.stringify(preset)}.`);
  const base = PRESETS[preset];
  const maxPixels = options.maxPixels ?? base.maxPixels;
  if (typeof maxPixels !== 'number' || !Number.isFinite(maxPixels) || maxPixels < 1 || maxPixels > MAX_PIXELS_LIMIT) {
    throw invalid(
      `maxPixels must be a number in [1, ${MAX_PIXELS_LIMIT}] (2^30: the most ` +
        `the decoder and the detector's tables can hold), got ${maxPixels}.`,
    );
  }
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes(maxPixels);
  if (
    typeof maxFileBytes !== 'number' ||
    !Number.isFinite(maxFileBytes) ||
    maxFileBytes < 1 ||
    maxFileBytes > MAX_FILE_BYTES_LIMIT
  ) {
    throw invalid(
      `maxFileBytes must be a number in [1, ${MAX_FILE_BYTES_LIMIT}] ` +
        `(the largest Buffer Node 20 holds), got ${maxFileBytes}.`,
    );
  }
  // No image has a shorter side above sqrt(maxPixels): a larger minimum face could never be found.
  const largestSide = Math.floor(Math.sqrt(maxPixels));
  const minFaceSize = options.minFaceSize ?? base.minFaceSize;
  if (
    typeof minFaceSize !== 'number' ||
    !Number.isFinite(minFaceSize) ||
    minFaceSize < 12 ||
    minFaceSize > Math.max(12, largestSide)
  ) {
    throw invalid(
      `minFaceSize must be a number in [12, ${Math.max(12, largestSide)}] (P-Net's 12x12 ` +
        `window; the shorter side of an image of maxPixels at most), got ${minFaceSize}.`,
    );
  }
  const scaleFactor = options.scaleFactor ?? base.scaleFactor;
  if (typeof scaleFactor !== 'number' || !Number.isFinite(scaleFactor) || scaleFactor <= 0 || scaleFactor >= 1) {
    throw invalid(`scaleFactor must be a number in (0, 1), got ${scaleFactor}.`);
  }
  // The most levels any accepted image can have: a square of maxPixels (the longest shorter side).
  const levels = pyramidLevelCount(largestSide, minFaceSize, scaleFactor, MAX_PYRAMID_LEVELS + 1);
  if (levels > MAX_PYRAMID_LEVELS) {
    throw invalid(
      `scaleFactor ${scaleFactor} with minFaceSize ${minFaceSize} gives more ` +
        `than ${MAX_PYRAMID_LEVELS} pyramid levels (the limit) for an image of maxPixels ` +
        `(${maxPixels}) pixels: use a smaller scaleFactor, a larger minFaceSize, or a lower maxPixels.`,
    );
  }
  const maxCandidatesPerLevel = options.maxCandidatesPerLevel ?? base.maxCandidatesPerLevel;
  if (
    typeof maxCandidatesPerLevel !== 'number' ||
    !Number.isInteger(maxCandidatesPerLevel) ||
    maxCandidatesPerLevel < 1 ||
    maxCandidatesPerLevel > MAX_CANDIDATES_PER_LEVEL_LIMIT
  ) {
    throw invalid(
      `maxCandidatesPerLevel must be a whole number in ` +
        `[1, ${MAX_CANDIDATES_PER_LEVEL_LIMIT}], got ${maxCandidatesPerLevel}.`,
    );
  }
  const thresholds = checkTuple('thresholds', options.thresholds ?? base.thresholds, 3, 0, 1);
  const nmsThresholds = checkTuple('nmsThresholds', options.nmsThresholds ?? base.nmsThresholds, 4, 0, 1);
  const borderMode = options.borderMode ?? base.borderMode;
  if (borderMode !== 'grey-pad' && borderMode !== 'zero-pad' && borderMode !== 'stretch') {
    throw invalid(`borderMode must be 'grey-pad', 'zero-pad' or 'stretch', got ${JSON.stringify(borderMode)}.`);
  }
  const boxFormat = options.boxFormat ?? base.boxFormat;
  if (boxFormat !== 'xywh' && boxFormat !== 'xyxy') {
    throw invalid(`boxFormat must be 'xywh' or 'xyxy', got ${JSON.stringify(boxFormat)}.`);
  }
  const autoOrient = options.autoOrient ?? base.autoOrient;
  if (typeof autoOrient !== 'boolean')
    throw invalid(`autoOrient must be true or false, got ${JSON.stringify(autoOrient)}.`);
  return {
    preset,
    minFaceSize,
    scaleFactor,
    thresholds: thresholds as ResolvedOptions['thresholds'],
    nmsThresholds: nmsThresholds as ResolvedOptions['nmsThresholds'],
    borderMode,
    boxFormat,
    autoOrient,
    maxPixels,
    maxFileBytes,
    maxCandidatesPerLevel,
  };
}
