import { describe, expect, it } from 'vitest';
import { MtcnnError } from './errors.js';
import {
  DEFAULT_MAX_CANDIDATES_PER_LEVEL,
  defaultMaxFileBytes,
  MAX_PIXELS_LIMIT,
  MAX_PYRAMID_LEVELS,
  resolveOptions,
  type DetectorOptions,
} from './options.js';
import { pyramidScales } from './pyramid.js';

const DEFAULTS = {
  preset: 'default',
  minFaceSize: 20,
  scaleFactor: 0.709,
  thresholds: [0.6, 0.7, 0.7],
  nmsThresholds: [0.5, 0.7, 0.7, 0.7],
  borderMode: 'grey-pad',
  boxFormat: 'xywh',
  autoOrient: true,
  maxPixels: 100_000_000,
  maxFileBytes: 100_000_000 * 8 + 16 * 2 ** 20,
  maxCandidatesPerLevel: DEFAULT_MAX_CANDIDATES_PER_LEVEL,
};

function invalidCode(options: unknown): string | undefined {
  try {
    resolveOptions(options as DetectorOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(MtcnnError);
    return (e as MtcnnError).code;
  }
  return undefined;
}

describe('resolveOptions', () => {
  it('gives DEFAULT_OPTIONS: grey padding at borders, EXIF orientation applied', () => {
    expect(resolveOptions()).toEqual(DEFAULTS);
    expect(resolveOptions({})).toEqual(DEFAULTS);
    expect(resolveOptions({ preset: 'default' })).toEqual(DEFAULTS);
  });

  it("'reference' preset: the same numbers, stretch at borders", () => {
    expect(resolveOptions({ preset: 'reference' })).toEqual({
      ...DEFAULTS,
      preset: 'reference',
      borderMode: 'stretch',
      autoOrient: false,
    });
  });

  it('explicit options override the preset', () => {
    expect(resolveOptions({ preset: 'reference', borderMode: 'zero-pad' }).borderMode).toBe('zero-pad');
    const r = resolveOptions({
      preset: 'reference',
      minFaceSize: 40,
      scaleFactor: 0.5,
      thresholds: [0.1, 0.2, 0.3],
      nmsThresholds: [0.4, 0.5, 0.6, 0.8],
      boxFormat: 'xyxy',
    });
    expect(r).toEqual({
      preset: 'reference',
      minFaceSize: 40,
      scaleFactor: 0.5,
      thresholds: [0.1, 0.2, 0.3],
      nmsThresholds: [0.4, 0.5, 0.6, 0.8],
      borderMode: 'stretch',
      boxFormat: 'xyxy',
      autoOrient: false,
      maxPixels: 100_000_000,
      maxFileBytes: DEFAULTS.maxFileBytes,
      maxCandidatesPerLevel: DEFAULT_MAX_CANDIDATES_PER_LEVEL,
    });
  });

  it('accepts the boundaries: minFaceSize 12, thresholds 0 and 1', () => {
    expect(resolveOptions({ minFaceSize: 12 }).minFaceSize).toBe(12);
    expect(resolveOptions({ thresholds: [0, 1, 0.5], nmsThresholds: [0, 1, 0, 1] }).thresholds).toEqual([0, 1, 0.5]);
  });

  it("returns copies: mutating a result does not change the next one or the caller's arrays", () => {
    const mine: [number, number, number] = [0.5, 0.5, 0.5];
    const a = resolveOptions({ thresholds: mine });
    a.thresholds[0] = 0.99;
    expect(mine).toEqual([0.5, 0.5, 0.5]);
    const b = resolveOptions();
    b.thresholds[0] = 0.01;
    b.nmsThresholds[0] = 0.01;
    expect(resolveOptions()).toEqual(DEFAULTS);
  });

  it.each([
    ['minFaceSize NaN', { minFaceSize: NaN }],
    ['minFaceSize negative', { minFaceSize: -20 }],
    ['minFaceSize < 12', { minFaceSize: 11.9 }],
    ['minFaceSize Infinity', { minFaceSize: Infinity }],
    ['minFaceSize a string', { minFaceSize: '20' }],
    ['scaleFactor NaN', { scaleFactor: NaN }],
    ['scaleFactor 1', { scaleFactor: 1 }],
    ['scaleFactor > 1', { scaleFactor: 1.5 }],
    ['scaleFactor 0', { scaleFactor: 0 }],
    ['scaleFactor negative', { scaleFactor: -0.7 }],
    ['thresholds > 1', { thresholds: [0.6, 1.1, 0.7] }],
    ['thresholds negative', { thresholds: [-0.1, 0.7, 0.7] }],
    ['thresholds NaN', { thresholds: [0.6, NaN, 0.7] }],
    ['thresholds too short', { thresholds: [0.6, 0.7] }],
    ['thresholds too long', { thresholds: [0.6, 0.7, 0.7, 0.7] }],
    ['thresholds not an array', { thresholds: 0.6 }],
    ['nmsThresholds too short', { nmsThresholds: [0.5, 0.7, 0.7] }],
    ['nmsThresholds > 1', { nmsThresholds: [0.5, 0.7, 0.7, 2] }],
    ['nmsThresholds negative', { nmsThresholds: [0.5, -0.7, 0.7, 0.7] }],
    ['unknown preset', { preset: 'fast' }],
    ['unknown borderMode', { borderMode: 'mirror' }],
    ['unknown boxFormat', { boxFormat: 'cxcywh' }],
    ['maxPixels 1e300 (beyond what the decoder and tables hold)', { maxPixels: 1e300 }],
    ['maxPixels 2^53', { maxPixels: 2 ** 53 }],
    ['maxPixels 2^30 + 1', { maxPixels: MAX_PIXELS_LIMIT + 1 }],
    ['maxPixels 0', { maxPixels: 0 }],
    ['maxFileBytes 0', { maxFileBytes: 0 }],
    ['maxFileBytes 2^32 (over the largest Buffer)', { maxFileBytes: 2 ** 32 }],
    ['maxFileBytes NaN', { maxFileBytes: NaN }],
    ['minFaceSize 1e300', { minFaceSize: 1e300 }],
    ['minFaceSize over the shorter side of any image of maxPixels', { minFaceSize: 10_001 }],
    ['scaleFactor 0.9999999 (33 million levels)', { scaleFactor: 0.9999999 }],
    ['maxCandidatesPerLevel 0', { maxCandidatesPerLevel: 0 }],
    ['maxCandidatesPerLevel 1.5', { maxCandidatesPerLevel: 1.5 }],
    ['maxCandidatesPerLevel Infinity', { maxCandidatesPerLevel: Infinity }],
    ['maxCandidatesPerLevel over 1e6', { maxCandidatesPerLevel: 1_000_001 }],
    ['options not an object', 42],
    ['options null', null],
  ])('throws INVALID_OPTION for %s', (_name, options) => {
    expect(invalidCode(options)).toBe('INVALID_OPTION');
  });

  it('bounds the pyramid: the message names the limit; the largest image of maxPixels is what counts', () => {
    expect(() => resolveOptions({ scaleFactor: 0.99 })).toThrow(
      new RegExp(`more than ${MAX_PYRAMID_LEVELS} pyramid levels \\(the limit\\)`),
    );
    // A smaller maxPixels or a larger minimum face brings 0.99 within the limit.
    const ok = resolveOptions({ scaleFactor: 0.99, maxPixels: 40_000, minFaceSize: 100 });
    const side = Math.floor(Math.sqrt(ok.maxPixels));
    expect(pyramidScales(side, side, ok.minFaceSize, ok.scaleFactor).length).toBeLessThanOrEqual(MAX_PYRAMID_LEVELS);
    // The default options on the largest default image: 19 levels.
    expect(pyramidScales(10_000, 10_000, 20, 0.709)).toHaveLength(19);
  });

  it(
    'accepts the upper boundaries: maxPixels 2^30, minFaceSize ' +
      'sqrt(maxPixels), maxFileBytes derived from maxPixels',
    () => {
      expect(resolveOptions({ maxPixels: MAX_PIXELS_LIMIT }).maxPixels).toBe(MAX_PIXELS_LIMIT);
      expect(resolveOptions({ minFaceSize: 10_000 }).minFaceSize).toBe(10_000);
      expect(resolveOptions({ maxPixels: 1_000_000 }).maxFileBytes).toBe(defaultMaxFileBytes(1_000_000));
      expect(defaultMaxFileBytes(1_000_000)).toBe(8_000_000 + 16 * 2 ** 20);
      expect(defaultMaxFileBytes(MAX_PIXELS_LIMIT)).toBe(2 ** 32 - 1);
      expect(resolveOptions({ maxFileBytes: 5 }).maxFileBytes).toBe(5);
    },
  );

  // `preset in PRESETS` would also accept Object.prototype names such as toString.
  it("throws INVALID_OPTION for an unknown preset named like an Object.prototype member ('toString')", () => {
    const all = {
      minFaceSize: 20,
      scaleFactor: 0.709,
      thresholds: [0.6, 0.7, 0.7],
      nmsThresholds: [0.5, 0.7, 0.7, 0.7],
      borderMode: 'zero-pad',
      boxFormat: 'xywh',
    };
    expect(invalidCode({ ...all, preset: 'toString' })).toBe('INVALID_OPTION');
  });

  it("still rejects 'toString' as a preset when the other options come from it", () => {
    expect(invalidCode({ preset: 'toString' })).toBe('INVALID_OPTION');
  });
});
