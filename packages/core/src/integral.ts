import type { RgbImage } from './image.js';

/**
 * Summed-area table of an 8-bit RGB image, so any rectangle's per-channel sum costs 4 lookups:
 * the pyramid and every crop then cost per output pixel, not per input pixel.
 *
 * Stored modulo 2^32 (Uint32Array, 12 bytes a pixel): a rectangle's sum is recovered exactly as
 * `(D - B - C + A) mod 2^32` whenever the true sum is below 2^32, i.e. for any window under
 * 16.8 M pixels (255 * 16.8M < 2^32). Sums are integers, so results equal direct summation bit
 * for bit.
 */
export interface IntegralImage {
  readonly width: number;
  readonly height: number;
  /** `(height + 1) * (width + 1) * 3` cumulative sums; row/column 0 are zero. */
  readonly table: Uint32Array;
}

/** Windows up to this many pixels have exact sums (see above). */
export const INTEGRAL_MAX_WINDOW = Math.floor(2 ** 32 / 255) - 1;

/** The table of `image`; `into` (exactly `(height + 1) * (width + 1) * 3` long) is reused if given. */
export function integralImage(image: RgbImage, into?: Uint32Array): IntegralImage {
  const { data, width: W, height: H } = image;
  const stride = (W + 1) * 3;
  const table = into ?? new Uint32Array((H + 1) * stride);
  if (table.length !== (H + 1) * stride)
    throw new RangeError(`integralImage: the table needs ${(H + 1) * stride} entries, got ${table.length}`);
  if (into) {
    // A reused table: only row 0 and column 0 are not written below.
    table.fill(0, 0, stride);
    for (let y = 1; y <= H; y++) table.fill(0, y * stride, y * stride + 3);
  }
  for (let y = 0; y < H; y++) {
    let r = 0;
    let g = 0;
    let b = 0;
    const src = y * W * 3;
    const above = y * stride;
    const row = above + stride;
    for (let x = 0; x < W; x++) {
      const p = src + x * 3;
      // Row sums stay below 2^32 (255 * W); the column add wraps modulo 2^32 on store.
      r += data[p];
      g += data[p + 1];
      b += data[p + 2];
      const q = row + (x + 1) * 3;
      const u = above + (x + 1) * 3;
      table[q] = table[u] + r;
      table[q + 1] = table[u + 1] + g;
      table[q + 2] = table[u + 2] + b;
    }
  }
  return { width: W, height: H, table };
}
