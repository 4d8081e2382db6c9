import { describe, expect, it } from 'vitest';
import { readImage } from './input.js';

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
