import { faceProbability, type SoftmaxKernel } from './softmax.js';

const f32 = Math.fround;

/** The float32 next to `v` (float32), one step up (`dir` 1) or down (-1). */
export function f32Step(v: number, dir: 1 | -1): number {
  const a = new Float32Array([v]);
  const u = new Uint32Array(a.buffer);
  if (a[0] === 0) return dir * 2 ** -149;
  u[0] += a[0] > 0 === dir > 0 ? 1 : -1;
  return a[0];
}

/**
 * A float32 face logit whose probability (`faceProbability`) is `f32(p)` exactly if a float32
 * logit near the exact one gives it, else the closest (test stubs stand in for backends, which
 * return logits). 0 and 1 are the infinite logits.
 */
export function logitOf(p: number, kernel: SoftmaxKernel = 'divide'): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const want = f32(p);
  const exact = f32(Math.log(p / (1 - p)));
  let up = exact;
  let down = exact;
  let best = exact;
  const miss = (d: number): number => Math.abs(faceProbability(d, kernel) - want);
  for (let k = 0; k < 256; k++) {
    for (const d of [up, down]) {
      if (miss(d) === 0) return d;
      if (miss(d) < miss(best)) best = d;
    }
    up = f32Step(up, 1);
    down = f32Step(down, -1);
  }
  return best;
}

/** `logitOf` of every value. */
export function logitsOf(ps: ArrayLike<number>, kernel: SoftmaxKernel = 'divide'): Float32Array {
  return Float32Array.from({ length: ps.length }, (_, i) => logitOf(ps[i], kernel));
}
