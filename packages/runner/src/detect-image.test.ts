import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '@mtcnn/core';
import { openDetector } from '@mtcnn/backends/node';
import { detectImage } from './detect-image.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));

describe('detectImage (onnx, in process)', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = await openDetector('onnx', {});
  });
  afterAll(() => detector?.dispose());

  it('gives the same entry for a file and its bytes, equal to the detector on the decoded pixels', async () => {
    const a = await detectImage(detector, { source: { file: SAMPLE }, stats: true });
    const b = await detectImage(detector, { source: { bytes: readFileSync(SAMPLE) }, stats: true });
    expect(b).toMatchObject({ entry: 'entry' in a ? a.entry : {} });
    const { data, info } = await sharp(SAMPLE).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const faces = await detector.detect({ data, width: info.width, height: info.height, channels: 3 });
    expect('entry' in a && a.entry.faces).toEqual(faces);
    expect('entry' in a && a.entry.stages?.faces).toBe(faces.length);
  });

  it("refuses an image over the detector's maxPixels from its header, and an aborted call", async () => {
    const small = await openDetector('onnx', { maxPixels: 800 * 416 - 1 });
    try {
      const r = await detectImage(small, { source: { file: SAMPLE } });
      expect(r).toMatchObject({ error: { code: 'IMAGE_TOO_LARGE', message: expect.stringContaining('800x416') } });
    } finally {
      small.dispose();
    }
    const aborted = await detectImage(detector, { source: { file: SAMPLE } }, { signal: AbortSignal.abort() });
    expect(aborted).toMatchObject({ error: { code: 'ABORTED' } });
  });

  it("runs the hook with the image and faces; the hook's failure is the image's error, not a throw", async () => {
    const seen: string[] = [];
    const r = await detectImage(
      detector,
      { source: { file: SAMPLE }, label: 'collage' },
      {
        extra: 'x',
        afterDetect: async ({ label, image, faces, extra }) => {
          seen.push(`${label} ${image.width}x${image.height} ${faces.length} ${extra}`);
          return ['drawn'];
        },
      },
    );
    expect(seen).toEqual(['collage 800x416 4 x']);
    expect(r).toMatchObject({ log: ['drawn'] });
    const failed = await detectImage(
      detector,
      { source: { file: SAMPLE } },
      {
        afterDetect: async () => {
          throw new Error('EACCES: permission denied');
        },
      },
    );
    expect(failed).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Error: EACCES: permission denied' } });
  });
});
