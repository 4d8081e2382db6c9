/**
 * The weights' layout facts (docs/architecture.md, "The pipeline, step by step"), as code, in one place. The Caffe
 * originals saw transposed (column-major) images, so the stored tensors are "transposed" relative to image orientation:
 * - conv kernels are stored `[a, b, in, out]`, a along image x, b along image y;
 * - dense layers are `[in, out]`;
 * - the flatten before `rnet/fc1` / `onet/fc1` runs over (W, H, C) of the image-oriented feature
 *   map: stored row `(x * H + y) * C + c`.
 * Backends keep images in image orientation (HWC) and rearrange the weights with these helpers.
 */

/** Anything with a shape and float data (a `WeightTensor` or a hand-made array in tests). */
export interface LayoutTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Named axes of a stored conv kernel, outermost first. */
export const STORED_CONV_AXES = ['x', 'y', 'in', 'out'] as const;
/** Order of the flatten that feeds fc1, outermost first. */
export const STORED_FLATTEN_AXES = ['x', 'y', 'c'] as const;

function conv4d(t: LayoutTensor): [number, number, number, number] {
  if (t.shape.length !== 4 || t.data.length !== t.shape.reduce((a, b) => a * b, 1)) {
    throw new RangeError(`Expected a 4-d conv kernel, got shape [${t.shape}] with ${t.data.length} values`);
  }
  return t.shape as unknown as [number, number, number, number];
}

/** Stored `[a=x, b=y, in, out]` -> image-oriented `[kh (y), kw (x), in, out]` (tfjs / TF `HWIO`). */
export function convKernelHWIO(t: LayoutTensor): LayoutTensor {
  const [kx, ky, ci, co] = conv4d(t);
  const src = t.data;
  const out = new Float32Array(src.length);
  const io = ci * co;
  for (let x = 0; x < kx; x++) {
    for (let y = 0; y < ky; y++) {
      const s = (x * ky + y) * io;
      const d = (y * kx + x) * io;
      out.set(src.subarray(s, s + io), d);
    }
  }
  return { shape: [ky, kx, ci, co], data: out };
}

/** Stored `[a=x, b=y, in, out]` -> image-oriented `[out, in, kh (y), kw (x)]` (ONNX / PyTorch `OIHW`). */
export function convKernelOIHW(t: LayoutTensor): LayoutTensor {
  const [kx, ky, ci, co] = conv4d(t);
  const src = t.data;
  const out = new Float32Array(src.length);
  for (let x = 0; x < kx; x++) {
    for (let y = 0; y < ky; y++) {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) {
          out[((o * ci + i) * ky + y) * kx + x] = src[((x * ky + y) * ci + i) * co + o];
        }
      }
    }
  }
  return { shape: [co, ci, ky, kx], data: out };
}

/**
 * fc1's stored `[in, out]` with rows permuted so that a plain NHWC flatten of the image-oriented
 * feature map (row `(y * W + x) * C + c`) multiplies it directly. Stored row is `(x * H + y) * C + c`.
 */
export function denseForNHWCFlatten(t: LayoutTensor, featH: number, featW: number, channels: number): LayoutTensor {
  const rows = featH * featW * channels;
  if (t.shape.length !== 2 || t.shape[0] !== rows || t.data.length !== rows * t.shape[1]) {
    throw new RangeError(
      `Expected a dense [${rows}, out] matrix for a ${featH}x${featW}x${channels} map, got shape [${t.shape}]`,
    );
  }
  const cols = t.shape[1];
  const src = t.data;
  const out = new Float32Array(src.length);
  for (let y = 0; y < featH; y++) {
    for (let x = 0; x < featW; x++) {
      for (let c = 0; c < channels; c++) {
        const d = ((y * featW + x) * channels + c) * cols;
        const s = ((x * featH + y) * channels + c) * cols;
        out.set(src.subarray(s, s + cols), d);
      }
    }
  }
  return { shape: [rows, cols], data: out };
}
