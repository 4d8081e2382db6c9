import { MtcnnError } from './errors.js';
import type { NmsTies } from './nms.js';

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
  /** Largest image accepted, in pixels (`IMAGE_TOO_LARGE` above it, checked before decoding). Default 100 megapixels. */
  maxPixels?: number;
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
  const minFaceSize = options.minFaceSize ?? base.minFaceSize;
  if (typeof minFaceSize !== 'number' || !Number.isFinite(minFaceSize) || minFaceSize < 12) {
    throw invalid(`minFaceSize must be a number >= 12 (P-Net's 12x12 window), got ${minFaceSize}.`);
  }
  const scaleFactor = options.scaleFactor ?? base.scaleFactor;
  if (typeof scaleFactor !== 'number' || !Number.isFinite(scaleFactor) || scaleFactor <= 0 || scaleFactor >= 1) {
    throw invalid(`scaleFactor must be a number in (0, 1), got ${scaleFactor}.`);
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
  const maxPixels = options.maxPixels ?? base.maxPixels;
  if (typeof maxPixels !== 'number' || !Number.isFinite(maxPixels) || maxPixels < 1) {
    throw invalid(`maxPixels must be a positive number, got ${maxPixels}.`);
  }
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
  };
}
