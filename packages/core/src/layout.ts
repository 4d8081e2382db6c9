/**
 * Pixel layout conversions for a batch of images: HWC (the core's default) <-> CHW (what ONNX
 * convolutions take). Backends use them to accept either `PixelLayout` (backend.ts): the detector
 * resamples straight into a backend's own layout, so these only run for other callers.
 */
function check(what: string, src: Float32Array, count: number, height: number, width: number, channels: number): void {
  const expected = count * height * width * channels;
  if (src.length !== expected) throw new RangeError(`${what}: expected ${expected} values, got ${src.length}`);
}

export function toNCHW(
  src: Float32Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  out?: Float32Array,
): Float32Array {
  check('toNCHW', src, count, height, width, channels);
  const plane = height * width;
  const per = plane * channels;
  const dst = out ?? new Float32Array(src.length);
  for (let n = 0; n < count; n++) {
    const base = n * per;
    for (let c = 0; c < channels; c++) {
      const d = base + c * plane;
      for (let i = 0, s = base + c; i < plane; i++, s += channels) dst[d + i] = src[s];
    }
  }
  return dst;
}

export function toNHWC(
  src: Float32Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  out?: Float32Array,
): Float32Array {
  check('toNHWC', src, count, height, width, channels);
  const plane = height * width;
  const per = plane * channels;
  const dst = out ?? new Float32Array(src.length);
  for (let n = 0; n < count; n++) {
    const base = n * per;
    for (let c = 0; c < channels; c++) {
      const s = base + c * plane;
      for (let i = 0, d = base + c; i < plane; i++, d += channels) dst[d] = src[s + i];
    }
  }
  return dst;
}
