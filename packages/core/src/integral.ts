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
  // Written through an Int32Array view: V8 keeps int32 loads and adds in registers (uint32 loads
  // may become doubles); the bits, and the arithmetic modulo 2^32, are the same.
  const t = new Int32Array(table.buffer, table.byteOffset, table.length);
  // Row 0 and column 0 are zero (a reused table holds old sums there too).
  t.fill(0, 0, stride);
  for (let y = 0; y < H; y++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let p = y * W * 3;
    let u = y * stride; // the row above, column 0
    let q = u + stride;
    t[q] = 0;
    t[q + 1] = 0;
    t[q + 2] = 0;
    const end = p + W * 3;
    // Row sums stay below 2^31 (255 * W); the column add wraps modulo 2^32.
    for (; p < end; p += 3) {
      u += 3;
      q += 3;
      r += data[p];
      g += data[p + 1];
      b += data[p + 2];
      t[q] = (t[u] + r) | 0;
      t[q + 1] = (t[u + 1] + g) | 0;
      t[q + 2] = (t[u + 2] + b) | 0;
    }
  }
  return { width: W, height: H, table };
}
