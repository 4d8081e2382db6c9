import { describe, expect, it } from 'vitest';
import { isMtcnnError } from '@mtcnn/core';
import {
  DETECTOR_PARAMS,
  detectorOptionsFromParams,
  parseBoolean,
  parseNumber,
  parseNumberList,
} from './option-strings.js';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isMtcnnError(e) ? `${e.code}: ${e.message}` : String(e);
  }
  return undefined;
};

describe('option strings', () => {
  it('parse numbers, lists and booleans, refusing empty parts and non-finite values', () => {
    expect(parseNumber('min_face', '40')).toBe(40);
    expect(parseNumberList('thresholds', '0.6, 0.7,0.8', 3)).toEqual([0.6, 0.7, 0.8]);
    expect([parseBoolean('stats', ''), parseBoolean('stats', 'TRUE'), parseBoolean('stats', '0')]).toEqual([
      true,
      true,
      false,
    ]);
    for (const bad of ['', ' ', 'abc', 'Infinity', 'NaN'])
      expect(codeOf(() => parseNumber('min_face', bad))).toMatch(/^INVALID_OPTION: min_face must be a number/);
    for (const bad of ['0.6,0.7,', ',,', '0.6,0.7', '0.6,0.7,0.7,0.7', '0.6,x,0.7'])
      expect(codeOf(() => parseNumberList('thresholds', bad, 3))).toBe(
        `INVALID_OPTION: thresholds must be 3 comma-separated numbers, none empty, e.g. 0.6,0.7,0.7, got '${bad}'.`,
      );
    expect(codeOf(() => parseBoolean('stats', 'yes please'))).toMatch(/^INVALID_OPTION: stats must be true or false/);
  });

  it('map parameters named like the CLI flags onto detector options, leaving the rest', () => {
    expect(
      detectorOptionsFromParams({
        preset: 'reference',
        min_face: '40',
        scale_factor: '0.8',
        thresholds: '0.5,0.6,0.7',
        nms: '0.4,0.6,0.6,0.6',
        border: 'stretch',
        box_format: 'xyxy',
        auto_orient: 'false',
        stats: 'true',
      }),
    ).toEqual({
      preset: 'reference',
      minFaceSize: 40,
      scaleFactor: 0.8,
      thresholds: [0.5, 0.6, 0.7],
      nmsThresholds: [0.4, 0.6, 0.6, 0.6],
      borderMode: 'stretch',
      boxFormat: 'xyxy',
      autoOrient: false,
    });
    expect(codeOf(() => detectorOptionsFromParams({ border: 'mirror' }))).toBe(
      "INVALID_OPTION: border must be one of grey-pad, zero-pad, stretch, got 'mirror'.",
    );
    expect(DETECTOR_PARAMS.map((p) => p.name)).toEqual([
      'preset',
      'min_face',
      'scale_factor',
      'thresholds',
      'nms',
      'border',
      'box_format',
      'auto_orient',
    ]);
  });
});
