import { describe, expect, it } from 'vitest';
import { MtcnnError } from '@mtcnn/core';
import { cliStages, entryError } from './entry.js';

describe('cliStages', () => {
  it('renames the counts to the reference names, in the CLI order', () => {
    const s = cliStages({ scales: 9, pnet: 100, pnetNms: 50, rnet: 20, rnetNms: 10, onet: 5, faces: 4 });
    expect(s).toEqual({ scales: 9, pnet: 100, pnet_nms: 50, rnet: 20, rnet_nms: 10, onet: 5, faces: 4 });
    expect(Object.keys(s)).toEqual(['scales', 'pnet', 'pnet_nms', 'rnet', 'rnet_nms', 'onet', 'faces']);
  });
});

describe('entryError', () => {
  it("keeps an MtcnnError's code and message; anything else is INTERNAL_ERROR", () => {
    expect(entryError(new MtcnnError('DECODE_FAILED', 'cut short'))).toEqual({
      code: 'DECODE_FAILED',
      message: 'cut short',
    });
    expect(entryError(new TypeError('x is undefined'))).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'TypeError: x is undefined',
    });
    expect(entryError('odd')).toEqual({ code: 'INTERNAL_ERROR', message: 'odd' });
  });
});
