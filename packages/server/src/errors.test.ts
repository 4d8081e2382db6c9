import { describe, expect, it } from 'vitest';
import { httpStatus } from './errors.js';

describe('httpStatus', () => {
  it('bad input is 4xx, the server limits 503 / 504, its own failures 500', () => {
    const table: [string, number][] = [
      ['INVALID_OPTION', 400],
      ['INVALID_IMAGE', 400],
      ['IMAGE_TOO_LARGE', 413],
      ['BODY_TOO_LARGE', 413],
      ['UNSUPPORTED_FORMAT', 415],
      ['DECODE_FAILED', 422],
      ['QUEUE_FULL', 503],
      ['DISPOSED', 503],
      ['TIMEOUT', 504],
      ['WORKER_FAILED', 500],
      ['BACKEND_FAILED', 500],
      ['INTERNAL_ERROR', 500],
    ];
    expect(table.map(([code]) => [code, httpStatus(code)])).toEqual(table);
  });
});
