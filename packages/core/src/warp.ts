import type { Similarity } from './align.js';
import type { RgbImage } from './image.js';

/**
 * Bilinear warp of an RGB image onto a `width` x `height` grid. `toImage` maps each output pixel
 * (its centre, OpenCV's convention: pixel (u, v) is the point (u, v)) to the image point sampled.
 * Neighbours outside the image count as black (OpenCV's `BORDER_CONSTANT` with 0), so a crop that
 * leaves the image is zero-filled there and fades over one pixel at the edge. Returns 8-bit RGB,
 * HWC, rounded to nearest.
 */
export function warpSimilarity(image: RgbImage, toImage: Similarity, width: number, height: number): Uint8Array {
  const { data, width: W, height: H } = image;
  const out = new Uint8Array(width * height * 3);
  const { a, b, tx, ty } = toImage;
  const px = (x: number, y: number, c: number): number =>
    x >= 0 && x < W && y >= 0 && y < H ? data[(y * W + x) * 3 + c] : 0;
  let o = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++, o += 3) {
      const sx = a * u - b * v + tx;
      const sy = b * u + a * v + ty;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      // Entirely outside (no neighbour in the image): stays 0.
      if (x0 < -1 || y0 < -1 || x0 >= W || y0 >= H) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const inside = x0 >= 0 && y0 >= 0 && x0 + 1 < W && y0 + 1 < H;
      for (let c = 0; c < 3; c++) {
        let s: number;
        if (inside) {
          const p = (y0 * W + x0) * 3 + c;
          const q = p + W * 3;
          s = w00 * data[p] + w10 * data[p + 3] + w01 * data[q] + w11 * data[q + 3];
        } else {
          s = w00 * px(x0, y0, c) + w10 * px(x0 + 1, y0, c) + w01 * px(x0, y0 + 1, c) + w11 * px(x0 + 1, y0 + 1, c);
        }
        out[o + c] = s <= 0 ? 0 : s >= 255 ? 255 : Math.round(s);
      }
    }
  }
  return out;
}
