import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, MtcnnError, type Detector, type Face, type ImageInput, type RgbImage } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { BACKENDS } from './backends.js';
import { encode, pngHeaderOnly, rotate90, sampleRgb, SAMPLE } from './fixtures.js';
import { iou } from './match.js';

// Every kind of input, and every kind of bad input, on every backend: the faces, or the exact
// error code. Expected faces come from the same pixels given raw, so lossless encodings must give
// identical faces and lossy ones the same faces within IoU 0.8 (GIF's 256-colour palette moves
// boxes by a few percent).
const TRUNCATED = new URL('../../../../shared/images/public/truncated.jpg', import.meta.url);

const xyxy = (f: Face): number[] => [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]];
function expectSameFaces(got: Face[], want: Face[], exact: boolean): void {
  if (exact) {
    expect(got).toEqual(want);
    return;
  }
  expect(got).toHaveLength(want.length);
  for (const w of want) expect(Math.max(...got.map((g) => iou(xyxy(g), xyxy(w))))).toBeGreaterThan(0.8);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof MtcnnError)) throw e;
    return e.code;
  }
  return 'resolved';
}

describe.each(BACKENDS)('inputs on $name', ({ create }) => {
  let detector: Detector;
  let rgb: RgbImage;
  let want: Face[];
  beforeAll(async () => {
    detector = createDetector(await create(), { decoder: loadImage });
    rgb = await sampleRgb(320);
    want = await detector.detect(rgb);
    expect(want.length).toBeGreaterThanOrEqual(2); // at 320 px wide, the 2 larger astronauts at least
  });
  afterAll(() => detector?.dispose());

  const lossless = ['png', 'png16', 'webp-lossless', 'tiff', 'avif-lossless'] as const;
  it.each(lossless)("%s bytes give exactly the raw pixels' faces", async (format) => {
    const bytes = await encode(rgb, format);
    expectSameFaces(await detector.detect(bytes), want, true);
  });

  it.each(['jpeg', 'gif'] as const)('%s bytes (lossy) give the same faces', async (format) => {
    expectSameFaces(await detector.detect(await encode(rgb, format)), want, false);
  });

  it('a path, a Buffer, a Uint8Array and an ArrayBuffer of the same file agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtcnn-inputs-'));
    const file = join(dir, 'sample.png');
    const bytes = await encode(rgb, 'png');
    writeFileSync(file, bytes);
    const copy = new Uint8Array(bytes);
    for (const input of [file, bytes, copy, copy.buffer] as ImageInput[])
      expectSameFaces(await detector.detect(input), want, true);
  });

  it('raw grey, RGB and RGBA pixels', async () => {
    const n = rgb.width * rgb.height;
    const rgba = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++)
      rgba.set([rgb.data[i * 3], rgb.data[i * 3 + 1], rgb.data[i * 3 + 2], (i * 7) % 256], i * 4);
    expectSameFaces(
      await detector.detect({ data: rgba, width: rgb.width, height: rgb.height, channels: 4 }),
      want,
      true,
    );
    const grey = new Uint8Array(n);
    const greyRgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      grey[i] = rgb.data[i * 3 + 1];
      greyRgb.fill(grey[i], i * 3, i * 3 + 3);
    }
    const g1 = await detector.detect({ data: grey, width: rgb.width, height: rgb.height, channels: 1 });
    expect(g1).toEqual(await detector.detect({ data: greyRgb, width: rgb.width, height: rgb.height }));
  });

  it('a tfjs Tensor3D (int32 and float32)', async () => {
    const t = tf.tensor3d(Int32Array.from(rgb.data), [rgb.height, rgb.width, 3], 'int32');
    const f = tf.tensor3d(Float32Array.from(rgb.data), [rgb.height, rgb.width, 3], 'float32');
    try {
      expectSameFaces(await detector.detect(t), want, true);
      expectSameFaces(await detector.detect(f), want, true);
    } finally {
      t.dispose();
      f.dispose();
    }
  });

  it('a CMYK JPEG is converted to RGB', async () => {
    const cmyk = await sharp(Buffer.from(rgb.data), { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
      .toColourspace('cmyk')
      .jpeg({ quality: 95 })
      .toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    expect((await detector.detect(cmyk)).length).toBe(want.length);
  });

  it('EXIF orientation is applied by default, not with autoOrient: false', async () => {
    const jpeg = await sharp(Buffer.from(rgb.data), { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const stored = await loadImage(jpeg, { autoOrient: false });
    expectSameFaces(await detector.detect(jpeg), await detector.detect(rotate90(stored)), true);
    const asStored = createDetector(
      await (BACKENDS.find((b) => b.name === detector.backend.name) ?? BACKENDS[0]).create(),
      { decoder: loadImage, autoOrient: false },
    );
    try {
      expectSameFaces(await asStored.detect(jpeg), await asStored.detect(stored), true);
    } finally {
      asStored.dispose();
    }
  });

  it('tiny images give an empty result, not an error', async () => {
    for (const [w, h] of [
      [0, 0],
      [1, 1],
      [11, 11],
      [11, 400],
      [30, 5],
    ]) {
      expect(await detector.detect({ data: new Uint8Array(w * h * 3).fill(128), width: w, height: h })).toEqual([]);
    }
  });

  it('bad input gives the exact error code, and the detector still works after', async () => {
    const cases: [string, ImageInput, string][] = [
      ['zero bytes', new Uint8Array(0), 'DECODE_FAILED'],
      ['text', Buffer.from('definitely not an image'), 'UNSUPPORTED_FORMAT'],
      ['missing file', '/no/such/file.jpg', 'DECODE_FAILED'],
      ['60000x60000 header', pngHeaderOnly(60000, 60000), 'IMAGE_TOO_LARGE'],
      ['half a PNG', (await encode(rgb, 'png')).subarray(0, 2000), 'DECODE_FAILED'],
      ['wrong pixel count', { data: new Uint8Array(10), width: 4, height: 4 }, 'INVALID_IMAGE'],
      ['negative size', { data: new Uint8Array(0), width: -1, height: 4 }, 'INVALID_IMAGE'],
      ['null', null as unknown as ImageInput, 'INVALID_IMAGE'],
      ['a number', 42 as unknown as ImageInput, 'INVALID_IMAGE'],
      ['tensor of wrong rank', tf.zeros([4, 4]) as unknown as ImageInput, 'INVALID_IMAGE'],
      ['raw pixels over maxPixels', { data: new Uint8Array(3), width: 1e5, height: 1e4 }, 'IMAGE_TOO_LARGE'],
    ];
    try {
      cases.push(['truncated JPEG', readFileSync(TRUNCATED), 'DECODE_FAILED']);
    } catch {
      console.warn('!!! ../shared/images/public/truncated.jpg absent: truncated-JPEG case skipped');
    }
    for (const [what, input, code] of cases) expect([what, await codeOf(detector.detect(input))]).toEqual([what, code]);
    expectSameFaces(await detector.detect(rgb), want, true);
  });

  it('a path without a decoder says how to get one', async () => {
    const bare = createDetector(await (BACKENDS.find((b) => b.name === detector.backend.name) ?? BACKENDS[0]).create());
    try {
      expect(await codeOf(bare.detect(SAMPLE))).toBe('UNSUPPORTED_FORMAT');
    } finally {
      bare.dispose();
    }
  });
});

describe('options and lifecycle', () => {
  it.each([
    { minFaceSize: NaN },
    { minFaceSize: -20 },
    { minFaceSize: 11 },
    { scaleFactor: 1 },
    { scaleFactor: 0 },
    { scaleFactor: 1.5 },
    { thresholds: [0.6, 0.7, 2] },
    { thresholds: [0.6, NaN, 0.7] },
    { nmsThresholds: [0.5, 0.7, 0.7] },
    { borderMode: 'mirror' },
    { maxPixels: 0 },
    { autoOrient: 'yes' },
  ])('%o -> INVALID_OPTION at construction, the backend untouched', async (bad) => {
    const backend = await BACKENDS[0].create();
    try {
      expect(() => createDetector(backend, bad as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    } finally {
      backend.dispose();
    }
  });

  it('DISPOSED after dispose(), and dispose is idempotent', async () => {
    const d = createDetector(await BACKENDS[0].create());
    d.dispose();
    d.dispose();
    expect(await codeOf(d.detect(await sampleRgb(100)))).toBe('DISPOSED');
  });
});
