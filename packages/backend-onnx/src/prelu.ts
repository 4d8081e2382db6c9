/**
 * PReLU written with operators ONNX Runtime's CPU provider runs fast, bit for bit equal to `PRelu`.
 *
 * Measured (ORT 1.30, per-op profile, 1080p workload): the `PRelu` kernel took 30-40% of every
 * network's time, plus a layout conversion on each side of it, because ORT's NCHWc layout
 * optimiser (blocked channels, what its fast convolutions use) has no PReLU: every PReLU sent the
 * tensor back to NCHW and through a generic broadcasting loop. Instead:
 *
 *   PReLU(x) = Relu(x) + (-a) * Relu(-x)
 *
 * exactly, for any slope a (x > 0: x + (-0) = x; x <= 0: 0 + (-a)(-x) = a*x, one rounding, as in
 * PRelu). On maps the products by -1 and -a are `BatchNormalization`s with mean 0, variance 1,
 * epsilon 0, which the optimiser turns into NCHWc per-channel 1x1 convolutions (it fuses the Relu
 * and the final Add into them), so the tensor stays blocked from one convolution to the next. On
 * the `[N, C]` vectors after the first dense layer the same identity uses plain elementwise ops.
 */
import type { LayoutTensor } from '@mtcnn/models';
import type { AttributeValue } from './graph-types.js';

export interface GraphBuilder {
  /** Adds a node with one output; returns the output's name. */
  add(op: string, inputs: string[], output: string, attrs?: Record<string, AttributeValue>): string;
  /** Adds a float initializer; returns its name. */
  init(name: string, t: LayoutTensor): string;
}

/**
 * `prelu`: the standard node; `relu-sum`: the decomposition above; `pool-first`: `relu-sum`, except
 * that a PReLU between a convolution and a max-pool runs after the pool (`convPReluPool`).
 */
export type PReluForm = 'prelu' | 'relu-sum' | 'pool-first';

/** Nodes computing PReLU(x) with per-channel slopes `alpha` as `relu-sum`; returns the output's name. */
export function preluReluSum(g: GraphBuilder, x: string, alpha: Float32Array, id: string, isMap: boolean): string {
  const c = alpha.length;
  const negSlope = alpha.map((v) => -v);
  const pos = g.add('Relu', [x], `${id}/pos`);
  if (!isMap) {
    const neg = g.add('Relu', [g.add('Neg', [x], `${id}/negx`)], `${id}/neg`);
    const scaled = g.add('Mul', [neg, g.init(`${id}/negslope`, { shape: [c], data: negSlope })], `${id}/scaled`);
    return g.add('Add', [scaled, pos], id);
  }
  const zeros = g.init(`${id}/zero`, { shape: [c], data: new Float32Array(c) });
  const ones = g.init(`${id}/one`, { shape: [c], data: new Float32Array(c).fill(1) });
  const minusOne = g.init(`${id}/minus1`, { shape: [c], data: new Float32Array(c).fill(-1) });
  const bn = (input: string, scale: string, out: string) =>
    g.add('BatchNormalization', [input, scale, zeros, zeros, ones], out, { epsilon: { float: 0 } });
  const neg = g.add('Relu', [bn(x, minusOne, `${id}/negx`)], `${id}/neg`);
  const scaled = bn(neg, g.init(`${id}/negslope`, { shape: [c], data: negSlope }), `${id}/scaled`);
  return g.add('Add', [scaled, pos], id);
}

/** A convolution followed by PReLU and a max-pool, in the terms `convPReluPool` needs. */
export interface ConvPReluPool {
  /** OIHW kernel, its input channels already padded to the incoming map's. */
  kernel: LayoutTensor;
  bias: Float32Array;
  /** Per-channel slopes, one per true output channel of the convolution. */
  alpha: Float32Array;
  convAttrs: Record<string, AttributeValue>;
  poolAttrs: Record<string, AttributeValue>;
  /** Output channels are padded to a multiple of this. */
  block: number;
  id: string;
}

/** The channels whose slope is negative (each needs one more convolution output, see below). */
const negativeSlopes = (alpha: Float32Array): number[] => [...alpha.keys()].filter((k) => alpha[k] < 0);

/**
 * Whether `convPReluPool` fits a layer: its negated channels must fit in the padding lanes the
 * convolution has anyway. Measured (ORT 1.30, 2 threads): P-Net's first layer (10 channels, 6
 * negative slopes: 16 lanes either way) runs 10% faster; where extra lanes were needed (R-Net's and
 * O-Net's layers) the wider convolution and the pooled map's extra operators cost more than the
 * PReLU passes saved (R-Net 2.3 -> 2.9 ms, O-Net 9.4 -> 12.2 ms for 64 crops).
 */
export function poolFirstFits(alpha: Float32Array, block: number): boolean {
  const c = alpha.length;
  return Math.ceil((c + negativeSlopes(alpha).length) / block) === Math.ceil(c / block);
}

/**
 * max-pool(PReLU(conv(x))) with the PReLU after the pool, bit for bit: four of the five passes
 * that PReLU makes over the convolution's full-size map then run on the pooled map (a quarter of it
 * after a 2x2 pool). Only for layers where `poolFirstFits`.
 *
 * Why it is exact. For a slope a >= 0, PReLU is non-decreasing (and so is its float rounding), so
 * max over a window of PReLU(y) = PReLU(max y). For a < 0, PReLU(y) = max(y, a*y) is large at both
 * ends: max over a window = max(Relu(M), (-a) * Relu(-m)) with M the window's max and m its min
 * (one rounding, as in PRelu). The min comes from the same pool: the convolution computes -y in a
 * padding lane for each negative slope, with negated weights and bias (negation is exact, so the
 * lane is exactly -y and its max is -m). Then, per channel of the pooled map P (no sum rounds: one
 * of its two terms is zero):
 *
 *   Q = Relu(-P[c]) for a >= 0, Relu(P[c'] = -m) for a < 0    (a 1x1 convolution of 0 / +-1 weights)
 *   S = (-a) * Q
 *   out = Max(Relu(P), S) + Min(S, 0)
 *
 * a >= 0: Max(Relu(M), S <= 0) = Relu(M), plus S: Relu(M) + (-a) * Relu(-M), the `relu-sum` PReLU.
 * a < 0: S >= 0, Min(S, 0) = 0: Max(Relu(M), (-a) * Relu(-m)).
 * The padding lanes of the result hold finite values that the next convolution weighs by zero.
 * Returns the output's name and its channel count (padding included).
 */
export function convPReluPool(g: GraphBuilder, x: string, layer: ConvPReluPool): { output: string; channels: number } {
  const { kernel, bias, alpha, block, id } = layer;
  const [c, inC, kh, kw] = kernel.shape;
  if (alpha.length !== c || bias.length !== c) throw new RangeError(`${id}: ${c} filters, ${alpha.length} slopes`);
  if (!poolFirstFits(alpha, block)) throw new RangeError(`${id}: the negated channels do not fit in the padding`);
  const negative = negativeSlopes(alpha);
  const lanes = Math.ceil(c / block) * block;
  const plane = inC * kh * kw;
  const w = new Float32Array(lanes * plane);
  const b = new Float32Array(lanes);
  w.set(kernel.data.subarray(0, c * plane));
  b.set(bias.subarray(0, c));
  negative.forEach((k, j) => {
    for (let i = 0; i < plane; i++) w[(c + j) * plane + i] = -kernel.data[k * plane + i];
    b[c + j] = -bias[k];
  });
  const y = g.add(
    'Conv',
    [
      x,
      g.init(`${id}/weights`, { shape: [lanes, inC, kh, kw], data: w }),
      g.init(`${id}/bias`, { shape: [lanes], data: b }),
    ],
    `${id}/conv`,
    layer.convAttrs,
  );
  const pooled = g.add('MaxPool', [y], `${id}/pool`, layer.poolAttrs);
  const pick = new Float32Array(lanes * lanes); // [out, in, 1, 1]
  const negSlope = new Float32Array(lanes * lanes);
  for (let k = 0; k < c; k++) {
    const j = negative.indexOf(k);
    pick[k * lanes + (j < 0 ? k : c + j)] = j < 0 ? -1 : 1;
    negSlope[k * lanes + k] = -alpha[k];
  }
  const zeros = g.init(`${id}/zero`, { shape: [lanes], data: new Float32Array(lanes) });
  const conv1x1 = (input: string, weights: Float32Array, name: string) =>
    g.add('Conv', [input, g.init(`${name}/weights`, { shape: [lanes, lanes, 1, 1], data: weights }), zeros], name);
  const q = g.add('Relu', [conv1x1(pooled, pick, `${id}/pick`)], `${id}/q`);
  const s = conv1x1(q, negSlope, `${id}/scaled`);
  const top = g.add('Max', [g.add('Relu', [pooled], `${id}/pos`), s], `${id}/max`);
  const rest = g.add('Min', [s, g.init(`${id}/zero1`, { shape: [1], data: new Float32Array(1) })], `${id}/min`);
  return { output: g.add('Add', [top, rest], id), channels: lanes };
}
