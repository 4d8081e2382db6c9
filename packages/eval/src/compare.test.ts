import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR } from './args.js';
import { compareRuns, cutByBorder, formatComparison, type Evaluator, type GtImage } from './compare.js';

const GT = `${SHARED_DIR}data/fddb/annotations.json`;
const EVALUATOR = `${SHARED_DIR}tools/eval-faces.mjs`;
const available = existsSync(GT) && existsSync(EVALUATOR);
if (!available)
  console.warn(
    `\n!!! SKIPPED compareRuns on FDDB: ${GT} or ${EVALUATOR} not found. ` +
      `Put the project's shared/ folder beside the repository. !!!\n`,
  );

describe('cutByBorder', () => {
  it('is true for a box that leaves the image on any side', () => {
    expect(cutByBorder([0, 0, 10, 10], 10, 10)).toBe(false);
    expect(
      [
        [-1, 0, 5, 5],
        [0, -1, 5, 5],
        [6, 0, 5, 5],
        [0, 6, 5, 5],
      ].map((b) => cutByBorder(b, 10, 10)),
    ).toEqual([true, true, true, true]);
  });
});

describe.skipIf(!available)('compareRuns (the real evaluator, a real FDDB image)', () => {
  it('finds the face only one run matches, and counts false positives cut by the border', async () => {
    const ev = (await import(pathToFileURL(EVALUATOR).href)) as Evaluator;
    // img_5: faces cut by the left and the top border.
    const g = (JSON.parse(readFileSync(GT, 'utf8')) as GtImage[]).find(
      (x) => x.file === 'images/2002/08/26/big/img_5.jpg',
    )!;
    const cutFaces = g.faces
      .map((f, i) => (cutByBorder(f.box_unclipped, g.width, g.height) ? i : -1))
      .filter((i) => i >= 0);
    expect(cutFaces.length).toBeGreaterThan(0);
    const exact = g.faces.map((f) => ({ box: f.box_unclipped, confidence: 0.9 }));
    const a = new Map([[g.file, exact]]);
    const b = new Map([
      [
        g.file,
        [
          ...exact.filter((_, i) => i !== cutFaces[0]),
          { box: [-20, 0, 40, 40] as [number, number, number, number], confidence: 0.8 },
        ],
      ],
    ]);
    const c = compareRuns(ev, [g], a, b, 0.7);
    expect(c.imagesDiffering).toBe(1);
    expect(c.onlyA).toEqual([
      {
        file: g.file,
        face: cutFaces[0],
        cut: true,
        other: { overlap: expect.any(Number), confidence: expect.any(Number) },
      },
    ]);
    expect(c.onlyA[0].other.overlap).toBeLessThan(0.5); // B has no box on that face
    expect(c.onlyB).toEqual([]);
    expect(c.falsePositives).toEqual({ a: 0, aCut: 0, b: 1, bCut: 1 });
    expect(formatComparison(c, 'zero-pad', 'stretch')).toContain(
      'faces found by zero-pad only: 1 (1 cut by the image border; 0 of them stretch boxes well',
    );
    // Above the threshold nothing is kept: no differences.
    expect(compareRuns(ev, [g], a, b, 0.95)).toMatchObject({ imagesDiffering: 0, onlyA: [], onlyB: [] });
  });
});
