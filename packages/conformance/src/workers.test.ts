import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, MtcnnError, type Detector, type DetectionReport, type Face, type RgbImage } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';
import { abortAfterFirstLevel, SAMPLE, tileRgb } from './fixtures.js';
import { DEV_DIR, sharedAvailable } from './shared.js';

/** A report without its timings (the only part allowed to differ). */
const strip = (r: DetectionReport) => ({
  faces: r.faces,
  counts: r.counts,
  trace: r.trace && { ...r.trace, timings: undefined },
});

// The onnx backend with its sessions in worker threads (`workers`), where the detector keeps
// several calls in flight and overlaps its own work with them: exactly the in-process results,
// stage trace included.
describe('onnx with worker threads = onnx in-process', () => {
  let local: Detector;
  let threaded: Detector;
  beforeAll(async () => {
    local = createDetector(await createNodeOnnxBackend());
    threaded = createDetector(await createNodeOnnxBackend({ workers: 2 }));
  });
  afterAll(() => {
    local?.dispose();
    threaded?.dispose();
  });

  if (!sharedAvailable) console.warn(`workers.test: ${DEV_DIR} is missing: only the bundled sample is compared.`);
  const files = [
    SAMPLE,
    ...(sharedAvailable
      ? readdirSync(DEV_DIR)
          .filter((f) => f.endsWith('.jpg'))
          .map((f) => DEV_DIR + f)
      : []),
  ];
  it.each(files.map((f) => [f.split('/').pop()!, f]))('%s: same faces, counts and trace', async (_name, file) => {
    const image = await loadImage(file);
    const a = await local.detectWithStats(image, { trace: true });
    const b = await threaded.detectWithStats(image, { trace: true });
    expect(strip(b)).toEqual(strip(a));
  });

  it('16 concurrent detect() calls over 4 images equal the sequential results', async () => {
    const images: RgbImage[] = await Promise.all([100, 120, 140, 160].map((s) => tileRgb(s)));
    const sequential: Face[][] = [];
    for (const img of images) sequential.push(await local.detect(img));
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => threaded.detect(images[i % 4])));
    results.forEach((faces, i) => {
      expect(faces).toEqual(sequential[i % 4]);
    });
  });

  it('an abort with levels in flight rejects with ABORTED; the next call still works', async () => {
    const inner = await createNodeOnnxBackend({ workers: 2 });
    const controller = new AbortController();
    const spy = abortAfterFirstLevel(inner, controller, true);
    const d = createDetector(spy.backend);
    try {
      const image = await loadImage(SAMPLE);
      const err = await d.detect(image, { signal: controller.signal }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MtcnnError);
      expect((err as MtcnnError).code).toBe('ABORTED');
      expect(spy.levels()).toBeLessThanOrEqual(1 + inner.inFlight!); // no level started after the abort was seen
      expect(await d.detect(image)).toEqual(await local.detect(image));
    } finally {
      d.dispose();
    }
  });
});
