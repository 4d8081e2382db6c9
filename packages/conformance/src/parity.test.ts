import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, type Detector, type Face } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { BACKENDS } from './backends.js';
import { iou, matchFaces } from './match.js';
import { DEV_DIR, loadOracle, sharedAvailable, warnSharedMissing } from './shared.js';

// Parity with the reference (facenet-pytorch) on every dev image, as docs/architecture.md says: equal per-stage
// counts, every reference face matched with IoU >= 0.99, landmarks within 0.05 px,
// |confidence - prob| < 1e-3, and no extra faces.
if (!sharedAvailable) warnSharedMissing('parity with the reference');

const oracle = sharedAvailable ? loadOracle() : {};
const images = sharedAvailable
  ? readdirSync(DEV_DIR)
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
  : [];
/** Faces per backend per image, for the cross-backend check at the end. */
const seen = new Map<string, Map<string, Face[]>>();

describe.skipIf(!sharedAvailable).each(BACKENDS)('parity with the reference on $name', ({ name, create }) => {
  let detector: Detector;
  const figures: string[] = [];
  beforeAll(async () => {
    detector = createDetector(await create(), { preset: 'reference' });
  });
  afterAll(() => {
    detector?.dispose();
    console.log(`parity figures (${name}):\n${figures.join('\n')}`);
  });

  it('covers all 10 dev images', () => {
    expect(images).toHaveLength(10);
    expect(images.every((f) => f in oracle)).toBe(true);
  });

  it.each(images)(
    '%s',
    async (file) => {
      const ref = oracle[file];
      // The reference does not apply EXIF orientation.
      const image = await loadImage(DEV_DIR + file, { autoOrient: false });
      expect([image.width, image.height]).toEqual([ref.width, ref.height]);
      const { faces, counts } = await detector.detectWithStats(image);
      if (!seen.has(name)) seen.set(name, new Map());
      seen.get(name)!.set(file, faces);
      const s = ref.stages;
      expect(counts).toEqual({
        scales: s.pyramid.length,
        pnet: s.pyramid.reduce((t, l) => t + l.candidates_ge_thr, 0),
        pnetNms: s['pnet_after_cross_scale_nms_0.7'],
        rnet: s.rnet_pass_thr,
        rnetNms: s['rnet_after_nms_0.7'],
        onet: s.onet_pass_thr ?? 0,
        faces: s['onet_after_nms_0.7_min'] ?? 0,
      });
      const { matches, extra } = matchFaces(ref.faces, faces);
      expect(extra).toEqual([]);
      for (const m of matches) {
        expect(m.iou).toBeGreaterThanOrEqual(0.99);
        expect(m.landmarkDev).toBeLessThan(0.05);
        expect(m.probDev).toBeLessThan(1e-3);
      }
      // Same order as the reference: largest box first.
      expect(matches.every((m, i) => m.face === faces[i])).toBe(true);
      const max = (k: 'boxDev' | 'landmarkDev' | 'probDev'): number => Math.max(0, ...matches.map((m) => m[k]));
      figures.push(
        `  ${file}: ${faces.length} faces, max box dev ${max('boxDev').toExponential(2)} px, ` +
          `landmarks ${max('landmarkDev').toExponential(2)} px, prob ${max('probDev').toExponential(2)}`,
      );
    },
    600_000,
  ); // tfjs-cpu (plain JS) takes ~30 s on the 2048x1991 image; more on a loaded machine
});

// Every backend gives the same faces as the first one (the same network, the same core), within
// IoU 0.999 — far tighter than the parity tolerance against the reference.
describe.skipIf(!sharedAvailable)('every backend gives the same faces', () => {
  const xyxy = (f: Face): number[] => [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]];
  it.each(BACKENDS.slice(1).map((b) => b.name))('%s vs the first backend', (name) => {
    const base = seen.get(BACKENDS[0].name);
    const other = seen.get(name);
    expect(base?.size, 'the first backend ran every image').toBe(images.length);
    expect(other?.size, `${name} ran every image`).toBe(images.length);
    let worst = 1;
    for (const file of images) {
      const a = base!.get(file)!;
      const b = other!.get(file)!;
      expect(b.length, file).toBe(a.length);
      a.forEach((f, i) => {
        const v = iou(xyxy(f), xyxy(b[i]));
        worst = Math.min(worst, v);
        expect(v, `${file} face ${i}`).toBeGreaterThanOrEqual(0.999);
      });
    }
    console.log(`cross-backend: ${name} vs ${BACKENDS[0].name}: worst IoU ${worst.toFixed(6)}`);
  });
});
