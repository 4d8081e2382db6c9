/**
 * The face probability from a network's face logit, computed as the reference computes it, in
 * float32, so that every backend lands on the reference's float32 values, including the few
 * values near 1 on which saturated scores tie (docs/architecture.md, "Exactness").
 *
 * Backends return the logit `d = l1 - l0` (face minus background: the 2-class head folded into
 * one row). PyTorch's CPU softmax subtracts the larger logit, exponentiates, sums (0 + e0 + e1) and
 * normalises, rounding each step to float32; two kernels differ in the last step:
 * - `'divide'` (P-Net: softmax over the channel axis of an NCHW map, ATen's `_vec_softmax`): `e1 / sum`;
 * - `'reciprocal'` (R-Net, O-Net: softmax over the last axis, `_vec_softmax_lastdim`): `e1 * (1 / sum)`.
 * When the face logit is the larger one both give `1 / sum`. The exponential here is correctly
 * rounded; ATen's (SLEEF, within 1 ulp) is not always: measured against torch 1.13 on 200,000
 * random logit pairs, every probability >= 0.999 (the saturated ones that tie) has the same bits,
 * 58 of the 148,227 in [0.7, 0.999) differ by 1 ulp, and about 2.5% of all by 1-2 ulps (mostly below 0.5).
 */
export type SoftmaxKernel = 'divide' | 'reciprocal';

const f32 = Math.fround;

/** The face probability for face logit `d` (= l1 - l0). */
export function faceProbability(d: number, kernel: SoftmaxKernel): number {
  const x = f32(d);
  if (x >= 0) {
    // Face is the max: exp(l0 - l1) and exp(0) = 1.
    const e0 = f32(Math.exp(-x));
    return f32(1 / f32(e0 + 1));
  }
  if (Number.isNaN(x)) return NaN;
  // Background is the max: exp(0) = 1 and exp(l1 - l0).
  const e1 = f32(Math.exp(x));
  const sum = f32(1 + e1);
  return kernel === 'divide' ? f32(e1 / sum) : f32(e1 * f32(1 / sum));
}

/** `faceProbability` of every logit. */
export function faceProbabilities(logits: ArrayLike<number>, kernel: SoftmaxKernel): Float32Array {
  const out = new Float32Array(logits.length);
  for (let i = 0; i < out.length; i++) out[i] = faceProbability(logits[i], kernel);
  return out;
}

/**
 * A logit below which the probability is certainly under `threshold` (float32): lets a P-Net map
 * be thresholded without an exponential per cell. The margin (1e-6 in probability) is far above
 * the few float32 roundings between `faceProbability` and the exact sigmoid.
 */
export function logitLowerBound(threshold: number): number {
  const t = f32(threshold) - 1e-6;
  if (!(t > 0)) return -Infinity;
  return Math.log(t / (1 - t));
}
