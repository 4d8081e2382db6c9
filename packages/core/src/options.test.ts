import { describe, expect, it } from 'vitest';
import { MtcnnError } from './errors.js';
import { resolveOptions, type DetectorOptions } from './options.js';

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
    ['options not an object', 42],
    ['options null', null],
  ])('throws INVALID_OPTION for %s', (_name, options) => {
    expect(invalidCode(options)).toBe('INVALID_OPTION');
  });

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
