import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, type Detector } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { BACKENDS } from './backends.js';
import { matchFaces, type FaceMatch } from './match.js';
import { SHARED_DIR, type OracleFace } from './shared.js';

// Parity with the reference at scale: facenet-pytorch's own output on FDDB's 2,207 dev images
// (../shared/data/fddb/reference/facenet-pytorch-dev.json), face by face, with the `reference`
// preset: IoU >= 0.99, landmarks within 0.05 px, |dprob| < 1e-3, no extra faces, largest first.
// All 2,207 images on all four backends is a manual run (docs/architecture.md, "Exactness"); CI
// keeps, on every backend, every image that differed before the reference's ties were reproduced
// (docs/architecture.md) and those with a box on a pixel edge, plus an evenly spread sample sized
// to the backend's speed.
const FDDB_DIR = `${SHARED_DIR}data/fddb/`;
const ORACLE = `${FDDB_DIR}reference/facenet-pytorch-dev.json`;
const available = existsSync(ORACLE) && existsSync(`${FDDB_DIR}dev.txt`);
if (!available) console.warn(`\n!!! SKIPPED parity on FDDB dev images: ${ORACLE} not found. !!!\n`);

/** The 26 images whose faces differed from the reference's (onnx) before ties were reproduced. */
const ONCE_DIFFERENT = [
  '2002/07/25/big/img_192.jpg',
  '2002/08/07/big/img_1393.jpg',
  '2002/09/01/big/img_16456.jpg',
  '2002/08/04/big/img_721.jpg',
  '2002/07/23/big/img_404.jpg',
  '2002/08/05/big/img_3450.jpg',
  '2002/07/26/big/img_1010.jpg',
  '2003/01/13/big/img_567.jpg',
  '2002/08/11/big/img_496.jpg',
  '2002/07/25/big/img_957.jpg',
  '2002/07/25/big/img_609.jpg',
  '2002/07/19/big/img_408.jpg',
  '2002/07/31/big/img_281.jpg',
  '2002/08/15/big/img_289.jpg',
  '2002/08/08/big/img_666.jpg',
  '2002/08/03/big/img_379.jpg',
  '2002/08/18/big/img_199.jpg',
  '2002/07/25/big/img_158.jpg',
  '2002/08/23/big/img_845.jpg',
  '2002/08/19/big/img_816.jpg',
  '2002/08/23/big/img_385.jpg',
  '2002/08/07/big/img_1498.jpg',
  '2002/07/23/big/img_539.jpg',
  '2002/08/20/big/img_889.jpg',
  '2002/08/13/big/img_406.jpg',
  '2002/07/29/big/img_626.jpg',
];

/**
 * Images with a box on a pixel edge, where the last ulps of the networks' regressions decide which
 * pixel window the next stage crops (core's edges.ts): img_379 (an O-Net input's x2 is 300.99994 on
 * onnx, 301 in the reference) and img_1252 (101 against 100.99998) differed on onnx, onnx-wasm and
 * tfjs-wasm before tfjs-cpu decided such boxes; img_116 and img_44 have such a box in the last
 * column of cells of an odd-width level, whose last pool window is cut (edges.ts `pnetWindow`).
 */
const PIXEL_EDGES = [
  '2002/08/03/big/img_379.jpg',
  '2003/01/15/big/img_1252.jpg',
  '2002/08/03/big/img_116.jpg',
  '2002/08/21/big/img_44.jpg',
];

/**
 * Every `step`-th image of dev.txt, from a backend-specific start so that backends see different
 * ones (0 = none: tfjs-cpu, plain JS, runs only the once-different images; on this shared 2-core
 * machine 49 images there took over 20 minutes under heavy load).
 */
const SAMPLE_STEP: Record<string, number> = { onnx: 10, 'onnx-wasm': 50, 'tfjs-wasm': 50, 'tfjs-cpu': 0 };

const devList = available
  ? readFileSync(`${FDDB_DIR}dev.txt`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^images\//, ''))
  : [];
const oracle = available
  ? (JSON.parse(readFileSync(ORACLE, 'utf8')) as { images: Record<string, { faces: OracleFace[] }> }).images
  : {};
const keyOf = (path: string): string => path.replaceAll('/', '__');

/** The tolerances of a matching face (header comment). */
function expectMatch(m: FaceMatch, path: string): void {
  expect(m.iou, path).toBeGreaterThanOrEqual(0.99);
  expect(m.landmarkDev, path).toBeLessThan(0.05);
  expect(m.probDev, path).toBeLessThan(1e-3);
}

function imagesFor(backend: string): string[] {
  const step = SAMPLE_STEP[backend] ?? 50;
  const start = BACKENDS.findIndex((b) => b.name === backend);
  const sample = step === 0 ? [] : devList.filter((_, i) => i % step === start % step);
  return [...new Set([...ONCE_DIFFERENT, ...PIXEL_EDGES, ...sample])];
}

describe.skipIf(!available).each(BACKENDS)('parity on FDDB dev images, $name', ({ name, create }) => {
  const images = imagesFor(name);
  let detector: Detector;
  const worst = { iou: 1, landmarks: 0, prob: 0, faces: 0 };
  beforeAll(async () => {
    detector = createDetector(await create(), { preset: 'reference' });
  });
  afterAll(() => {
    detector?.dispose();
    console.log(
      `FDDB parity (${name}): ${images.length} images, ${worst.faces} faces; worst ` +
        `IoU ${worst.iou.toFixed(6)}, landmarks ${worst.landmarks.toExponential(2)} ` +
        `px, prob ${worst.prob.toExponential(2)}`,
    );
  });

  it('every listed image is in the reference output', () => {
    for (const p of images) expect(oracle[keyOf(p)], p).toBeDefined();
  });

  it('matches the reference face by face', async () => {
    for (const path of images) {
      const ref = oracle[keyOf(path)].faces;
      const faces = await detector.detect(await loadImage(`${FDDB_DIR}images/${path}`, { autoOrient: false }));
      const { matches, extra } = matchFaces(ref, faces);
      expect(extra, path).toEqual([]);
      for (const m of matches) {
        expectMatch(m, path);
        worst.iou = Math.min(worst.iou, m.iou);
        worst.landmarks = Math.max(worst.landmarks, m.landmarkDev);
        worst.prob = Math.max(worst.prob, m.probDev);
      }
      expect(
        matches.every((m, i) => m.face === faces[i]),
        `${path}: largest first`,
      ).toBe(true);
      worst.faces += matches.length;
    }
  }, 1_200_000);
});
