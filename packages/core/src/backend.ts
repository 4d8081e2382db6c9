/**
 * The only way the cascade reaches the networks. A backend (tfjs, ONNX Runtime, ...) implements
 * this; the core never imports one.
 *
 * Conventions shared by every method:
 * - Pixels are HWC, RGB, float32, already normalised as `(v - 127.5) * 0.0078125`, in **image
 *   orientation** (row = image y, column = image x). Backends deal with the weights' transposed
 *   spatial axes themselves (see `@mtcnn/models` layout helpers).
 * - Outputs are plain typed arrays the backend no longer needs (the core may keep them).
 * - Inputs are the caller's again once the returned promise settles: a backend must not keep
 *   them (the detector reuses the buffers for the next level or batch).
 * - Box offsets are `(dx1, dy1, dx2, dy2)` in image orientation; landmarks are `x1..x5, y1..y5`,
 *   each relative to the input box (0..1).
 * - The face score is a **logit**, `l1 - l0`: the 2-class head's face logit minus its background
 *   logit (fold the head into one row: weights `w1 - w0`, bias `b1 - b0`), not a probability. The
 *   core computes the probability from it as the reference's softmax does, in float32 (softmax.ts),
 *   so that all backends land on the same float32 probabilities, ties included.
 */
export interface PNetOutput {
  /** Face logit `l1 - l0` per map cell, `height * width`, row-major. */
  logit: Float32Array;
  /** Box offsets, `height * width * 4`, row-major, the 4 offsets last. */
  reg: Float32Array;
  /** Size of the output map: `ceil((H - 2) / 2) - 4` by `ceil((W - 2) / 2) - 4`. */
  height: number;
  width: number;
}

export interface RNetOutput {
  /** Face logit `l1 - l0` per crop, `count`. */
  logit: Float32Array;
  /** Box offsets per crop, `count * 4`. */
  reg: Float32Array;
}

export interface ONetOutput extends RNetOutput {
  /** Landmarks per crop, `count * 10`: x1..x5 then y1..y5, relative to the crop's box. */
  landmarks: Float32Array;
}

/**
 * Layout of input pixels: `hwc` (per pixel R, G, B; the default everywhere) or `chw` (three planes
 * per level or crop), which NCHW runtimes (ONNX) take without a transposing copy.
 */
export type PixelLayout = 'hwc' | 'chw';

export interface MtcnnBackend {
  /** e.g. `tfjs-wasm`, `tfjs-cpu`, `onnx`. */
  readonly name: string;
  /**
   * The layout this backend runs on without a copy; default `hwc`. The detector resamples straight
   * into it and says so in each call's `layout` argument. Every backend accepts `hwc`.
   */
  readonly pixelLayout?: PixelLayout;
  /**
   * How many network calls the detector keeps in flight; default 1: it awaits each call before
   * preparing the next, right for a backend that computes on the calling thread (nothing to
   * overlap). A backend that computes elsewhere (worker threads, a GPU) sets more: the detector
   * then resamples the next pyramid level and crops the next batch while earlier calls run, and
   * splits R-Net / O-Net batches into several calls. Results do not depend on it.
   */
  readonly inFlight?: number;
  /** Run P-Net on one pyramid level (`height * width * 3` floats in `layout`, default `hwc`). Level sides are >= 12. */
  runPNet(level: Float32Array, height: number, width: number, layout?: PixelLayout): Promise<PNetOutput>;
  /** Run R-Net on a batch of `count` 24x24 crops (`count * 24 * 24 * 3` floats). `count` >= 1. */
  runRNet(crops: Float32Array, count: number, layout?: PixelLayout): Promise<RNetOutput>;
  /** Run O-Net on a batch of `count` 48x48 crops (`count * 48 * 48 * 3` floats). `count` >= 1. */
  runONet(crops: Float32Array, count: number, layout?: PixelLayout): Promise<ONetOutput>;
  /** Release every native / GPU resource the backend holds. Idempotent. */
  dispose(): void;
}

/** Output side of P-Net for an input side (12 -> 1; stride 2 overall). */
export function pnetOutputSize(inputSize: number): number {
  return Math.ceil((inputSize - 2) / 2) - 4;
}

/**
 * The argument checks every backend makes on `runPNet` (RangeError: a programming error, not bad
 * user input, which the detector has refused before).
 */
export function checkLevelInput(level: Float32Array, height: number, width: number): void {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 12 || width < 12) {
    throw new RangeError(`P-Net needs an integer level of at least 12x12, got ${height}x${width}`);
  }
  checkPixels('P-Net level', level, height * width * 3);
}

/** The argument checks of `runRNet` / `runONet`: `count` >= 1 crops of `side` x `side` x 3. */
export function checkBatchInput(net: string, crops: Float32Array, count: number, side: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be an integer >= 1, got ${count}`);
  checkPixels(`${net} crops`, crops, count * side * side * 3);
}

function checkPixels(what: string, data: Float32Array, expected: number): void {
  if (!(data instanceof Float32Array) || data.length !== expected) {
    throw new RangeError(`${what}: expected a Float32Array of ${expected} values, got ${data?.length ?? typeof data}`);
  }
}
