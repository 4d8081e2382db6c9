import type { RgbImage } from '@mtcnn/core';

/**
 * Decodes an encoded image to 8-bit RGB with the browser's decoder: EXIF orientation applied (as
 * the CLI does by default), no colour-profile conversion (the CLI ignores ICC profiles too),
 * alpha dropped.
 */
export async function decodeToRgb(blob: Blob): Promise<RgbImage> {
  const bitmap = await createImageBitmap(blob, {
    imageOrientation: 'from-image',
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const { width, height } = bitmap;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    data[o] = rgba[i];
    data[o + 1] = rgba[i + 1];
    data[o + 2] = rgba[i + 2];
  }
  return { data, width, height };
}
