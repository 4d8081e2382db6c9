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
// (docs/architecture.md), plus an evenly spread sample sized to the backend's speed.
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
 * Faces no ordering can reach: the networks' own float32 arithmetic (ONNX Runtime's and tfjs's
 * kernels sum in another order than PyTorch's) moves an output by a few ulps, and here that moves
 * a box edge across an integer, so the next stage crops a different pixel window. Measured on the
 * full 2,207-image run; each entry names the reference face that differs (its box's top-left
 * corner) and which value crossed. Those images are still checked: every other face must match,
 * and this one must still differ (if it comes to match, the entry is stale and the test says so),
 * unless the entry says it depends on the CPU.
 */
interface RoundingMiss {
  /** `[x1, y1]` of the reference face that differs (to 0.1 px). */
  refCorner: [number, number];
  why: string;
  /**
   * Set where the native kernels decide: onnxruntime-node's MLAS picks its kernels by the CPU's
   * instruction set, so the last ulps (and this face) differ between machines. The face may then
   * match or differ; every other face of the image must match either way.
   */
  dependsOnCpu?: string;
}
const IMG_379: RoundingMiss = {
  refCorner: [231.1, 164.1],
  why:
    "an O-Net input's x2 is 300.99994 here, 301 in the reference (R-Net's regression): " +
    'its crop is one column narrower',
};
const IMG_1252_WHY =
  "an O-Net input's x2 is 101 here, 100.99998 in the reference (R-Net's regression): its crop is one " +
  "column wider, and the face's O-Net score 0.636 instead of the reference's 0.701 (threshold 0.7)";
const NETWORK_ROUNDING: Record<string, Record<string, RoundingMiss>> = {
  onnx: {
    '2002/08/03/big/img_379.jpg': IMG_379,
    '2003/01/15/big/img_1252.jpg': {
      refCorner: [3.2, 266.6],
      why: IMG_1252_WHY,
      dependsOnCpu: 'differs with AVX2 kernels (AMD EPYC, Zen 1), matches with AVX-512 ones (Intel Xeon)',
    },
  },
  'onnx-wasm': { '2002/08/03/big/img_379.jpg': IMG_379 },
  'tfjs-wasm': {
    '2002/08/03/big/img_379.jpg': IMG_379,
    '2003/01/15/big/img_1252.jpg': { refCorner: [3.2, 266.6], why: IMG_1252_WHY },
  },
};

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
  return [...new Set([...ONCE_DIFFERENT, ...sample])].filter((p) => !NETWORK_ROUNDING[backend]?.[p]);
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
    for (const p of [...ONCE_DIFFERENT, ...images]) expect(oracle[keyOf(p)], p).toBeDefined();
  });

  const misses = Object.entries(NETWORK_ROUNDING[name] ?? {});
  it.skipIf(misses.length === 0)(
    'differs only in the known network-rounding faces',
    async () => {
      for (const [path, miss] of misses) {
        const ref = oracle[keyOf(path)].faces;
        const faces = await detector.detect(await loadImage(`${FDDB_DIR}images/${path}`, { autoOrient: false }));
        const { matches } = matchFaces(ref, faces);
        const isMiss = (m: (typeof matches)[number]) =>
          Math.abs(m.ref.box[0] - miss.refCorner[0]) < 0.1 && Math.abs(m.ref.box[1] - miss.refCorner[1]) < 0.1;
        expect(matches.filter(isMiss), `${path}: the listed face is in the reference`).toHaveLength(1);
        for (const m of matches) {
          if (isMiss(m)) {
            const stale = `${path} ${miss.refCorner}: now matches, remove it from NETWORK_ROUNDING`;
            if (miss.dependsOnCpu === undefined) expect(m.iou, stale).toBeLessThan(0.99);
          } else {
            expectMatch(m, path);
          }
        }
      }
    },
    120_000,
  );

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
