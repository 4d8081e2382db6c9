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

  it(
    "runs the hook with the image, faces and the task's data; the " +
      "hook's failure is reported beside the detection, which stands",
    async () => {
      const seen: string[] = [];
      const r = await detectImage(
        detector,
        { source: { file: SAMPLE }, label: 'collage', hookData: 'd' },
        {
          extra: 'x',
          afterDetect: async ({ label, image, faces, extra, data }) => {
            seen.push(`${label} ${image.width}x${image.height} ${faces.length} ${extra} ${data}`);
            return ['drawn'];
          },
        },
      );
      expect(seen).toEqual(['collage 800x416 4 x d']);
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
      expect(failed).toMatchObject({
        entry: { width: 800, height: 416, faces: expect.any(Array) },
        afterDetectError: { code: 'INTERNAL_ERROR', message: 'Error: EACCES: permission denied' },
      });
      expect('entry' in failed && failed.entry.faces).toHaveLength(4);
      // A hook error with a code of its own (the CLI's OUTPUT_EXISTS, WRITE_FAILED) keeps it.
      const coded = await detectImage(
        detector,
        { source: { file: SAMPLE } },
        {
          afterDetect: async () => {
            throw Object.assign(new Error('out.png exists already'), { code: 'OUTPUT_EXISTS' });
          },
        },
      );
      expect(coded).toMatchObject({ afterDetectError: { code: 'OUTPUT_EXISTS', message: 'out.png exists already' } });
    },
  );

  it("gives TIMEOUT past the task's timeoutMs, also while decoding; a generous limit changes nothing", async () => {
    const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#406080' } })
      .jpeg()
      .toBuffer();
    const r = await detectImage(detector, { source: { bytes: big }, timeoutMs: 1 });
    expect(r).toMatchObject({ error: { code: 'TIMEOUT', message: expect.stringContaining('1 ms') } });
    const ok = await detectImage(detector, { source: { file: SAMPLE }, timeoutMs: 600_000 });
    expect('entry' in ok && ok.entry.faces).toHaveLength(4);
  });
});
