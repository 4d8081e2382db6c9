import { describe, expect, it } from 'vitest';
import { toEvalDetections } from './dets.js';

const face = (confidence: number) => ({
  box: [1, 2, 3, 4] as [number, number, number, number],
  confidence,
  keypoints: {},
});

describe('toEvalDetections', () => {
  it("converts the CLI's entries to the evaluator's, keeping faces strictly above the score cut (O-Net's rule)", () => {
    const records = [
      { file: 'images/a.jpg', width: 9, height: 9, faces: [face(0.99), face(0.7), face(0.3)] },
      { file: 'images/b.jpg', error: { code: 'DECODE_FAILED', message: 'cut' } },
      { file: 'images/not-in-list.jpg', width: 9, height: 9, faces: [face(1)] },
    ];
    const r = toEvalDetections(records, ['images/a.jpg', 'images/b.jpg', 'images/c.jpg'], 0.7);
    expect(r.dets).toEqual([{ file: 'images/a.jpg', faces: [{ box: [1, 2, 3, 4], score: 0.99 }] }]);
    expect(r.failed).toEqual([{ file: 'images/b.jpg', code: 'DECODE_FAILED', message: 'cut' }]);
    expect(r.missing).toEqual(['images/c.jpg']);
    expect(toEvalDetections(records, ['images/a.jpg'], -Infinity).dets[0].faces.map((f) => f.score)).toEqual([
      0.99, 0.7, 0.3,
    ]);
  });

  it('uses the last line of a file that appears twice', () => {
    const r = toEvalDetections(
      [
        { file: 'a', faces: [face(0.9)] },
        { file: 'a', faces: [] },
      ],
      ['a'],
      0,
    );
    expect(r.dets).toEqual([{ file: 'a', faces: [] }]);
  });
});
