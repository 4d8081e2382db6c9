import { describe, expect, it } from 'vitest';
import { failureOf, formatSummary, SUMMARY_MAX_LISTED } from './summary.js';

describe('formatSummary', () => {
  it('says how many images were done, how fast, and that none failed', () => {
    expect(formatSummary({ total: 3, skipped: 0, processed: 3, failures: [], seconds: 1.5, jobs: 2 })).toBe(
      'mtcnn: 3 images: 3 ok, 0 failed; 3 images processed in 1.5 s (2.00 images/s, 2 jobs)\n',
    );
  });

  it('counts failures by code, names the failed files, and the images taken from the output file', () => {
    const failures = [
      { file: 'a.jpg', code: 'DECODE_FAILED', message: 'cut' },
      { file: 'b.jpg', code: 'DECODE_FAILED', message: 'cut' },
      { file: '*.gif', code: 'NO_MATCH', message: 'none' },
    ];
    const s = formatSummary({
      total: 10,
      skipped: 4,
      processed: 6,
      failures,
      seconds: 2,
      jobs: 1,
      output: 'out.jsonl',
    });
    expect(s.split('\n')).toEqual([
      'mtcnn: 10 images: 7 ok, 3 failed (DECODE_FAILED 2, NO_MATCH 1); 6 images ' +
        'processed in 2.0 s (3.00 images/s, 1 job); 4 skipped, already in out.jsonl',
      '  failed: a.jpg: DECODE_FAILED: cut',
      '  failed: b.jpg: DECODE_FAILED: cut',
      '  failed: *.gif: NO_MATCH: none',
      '',
    ]);
  });

  it(`names at most ${SUMMARY_MAX_LISTED} failed files`, () => {
    const failures = Array.from({ length: 25 }, (_, i) => ({ file: `${i}.jpg`, code: 'DECODE_FAILED', message: 'm' }));
    const lines = formatSummary({ total: 25, skipped: 0, processed: 25, failures, seconds: 0, jobs: 2 })
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(1 + SUMMARY_MAX_LISTED + 1);
    expect(lines.at(-1)).toBe('  ... and 15 more (see the error entries)');
  });

  it('reads a failure out of an error entry only', () => {
    expect(failureOf({ file: 'x', error: { code: 'C', message: 'M' } })).toEqual({
      file: 'x',
      code: 'C',
      message: 'M',
    });
    expect(failureOf({ file: 'x', width: 1, height: 1, faces: [] })).toBeUndefined();
  });
});
