import { describe, expect, it } from 'vitest';
import type { RgbImage } from './image.js';
import { raceAbort, readImage, type ImageDecoder, type TensorLike } from './input.js';

const OPTIONS = { autoOrient: true, maxPixels: 1e8 };

// Node has no canvas: these are the checks readImage makes on a browser source before drawing it.
// The real browser objects (every kind, broken and closed ones, a tainted image) are tested in
// Chromium by packages/worker/test/inputs.browser.test.ts.
describe('readImage, browser sources that have no pixels to read', () => {
  it('rejects a <video> that knows its size but has no frame yet (HAVE_METADATA) with INVALID_IMAGE', async () => {
    const video = { videoWidth: 800, videoHeight: 416, readyState: 1 };
    await expect(readImage(video as unknown as HTMLVideoElement, OPTIONS)).rejects.toMatchObject({
      name: 'MtcnnError',
      code: 'INVALID_IMAGE',
      message: expect.stringMatching(/no frame/),
    });
  });

  it('rejects 0x0 sources (a closed ImageBitmap, a broken <img>, a closed VideoFrame) with INVALID_IMAGE', async () => {
    for (const source of [
      { width: 0, height: 0 },
      { naturalWidth: 0, naturalHeight: 0 },
      { displayWidth: 0, displayHeight: 0 },
    ]) {
      await expect(readImage(source as unknown as ImageBitmap, OPTIONS)).rejects.toMatchObject({
        name: 'MtcnnError',
        code: 'INVALID_IMAGE',
      });
    }
  });
});

describe('readImage, tensors and decoders that fail or never finish', () => {
  it(
    'wraps a tensor whose data() rejects (a disposed tfjs ' + 'tensor) in MtcnnError INVALID_IMAGE, with the cause',
    async () => {
      const cause = new Error('Tensor is disposed.');
      const tensor: TensorLike = { shape: [4, 4, 3], dtype: 'float32', data: () => Promise.reject(cause) };
      await expect(readImage(tensor, OPTIONS)).rejects.toMatchObject({
        name: 'MtcnnError',
        code: 'INVALID_IMAGE',
        message: expect.stringContaining('Tensor is disposed.'),
        cause,
      });
      const throwing: TensorLike = {
        shape: [4, 4, 3],
        dtype: 'float32',
        data: () => {
          throw cause;
        },
      };
      await expect(readImage(throwing, OPTIONS)).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    },
  );

  it(
    'an abort takes effect while a decoder runs (here one ' + 'that never finishes), and the decoder gets the signal',
    async () => {
      let seen: AbortSignal | undefined;
      const never: ImageDecoder = (_source, o) => {
        seen = o.signal;
        return new Promise<RgbImage>(() => undefined);
      };
      const controller = new AbortController();
      const call = readImage('photo.jpg', { ...OPTIONS, decoder: never, signal: controller.signal });
      await Promise.resolve();
      controller.abort(new Error('stop'));
      await expect(call).rejects.toMatchObject({ name: 'MtcnnError', code: 'ABORTED' });
      expect(seen).toBe(controller.signal);
      // Already aborted: the decoder is not even called.
      seen = undefined;
      await expect(
        readImage('photo.jpg', { ...OPTIONS, decoder: never, signal: controller.signal }),
      ).rejects.toMatchObject({ code: 'ABORTED' });
      expect(seen).toBeUndefined();
    },
  );

  it('raceAbort passes results and errors through when the signal does not fire', async () => {
    const signal = new AbortController().signal;
    await expect(raceAbort(Promise.resolve(3), signal)).resolves.toBe(3);
    await expect(raceAbort(Promise.reject(new Error('x')), signal)).rejects.toThrow('x');
  });
});
