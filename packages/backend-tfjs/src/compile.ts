/**
 * Turns an `@mtcnn/models` network description into tensors, once: kernels in image orientation
 * (HWIO), fc1 rows permuted for a plain NHWC flatten, and the heads merged into one layer.
 */
import {
  convKernelHWIO,
  denseForNHWCFlatten,
  flattenInputShape,
  type ConvLayer,
  type DenseLayer,
  type HeadOutput,
  type LayoutTensor,
  type MtcnnWeights,
  type NetworkSpec,
  type TensorName,
} from '@mtcnn/models';
import type { Tensor, Tensor1D, Tensor2D, Tensor4D, Tf } from './tf.js';

export interface CompiledConv {
  readonly kind: 'conv';
  readonly filter: Tensor4D;
  readonly bias: Tensor1D;
  /** PReLU fused into the conv, when the next layer is one. */
  readonly alpha: Tensor1D | null;
  readonly stride: number;
}
export interface CompiledDense {
  readonly kind: 'dense';
  readonly weights: Tensor2D;
  readonly bias: Tensor1D;
  readonly alpha: Tensor1D | null;
}
export interface CompiledPool {
  readonly kind: 'maxpool';
  readonly size: number;
  readonly stride: number;
}
export interface CompiledFlatten {
  readonly kind: 'flatten';
}
export type CompiledLayer = CompiledConv | CompiledDense | CompiledPool | CompiledFlatten;

/**
 * Where each head's values sit in the merged head's output channels. A 2-class softmax head is
 * folded into one channel, the face logit `l1 - l0` (weights `w1 - w0`, bias `b1 - b0`): what
 * the backend contract asks for (the core computes the probability from it).
 */
export interface HeadSlice {
  readonly output: HeadOutput;
  readonly start: number;
  readonly channels: number;
}

/** A 2-class head's last axis `[.., 2]` as its difference `[.., 1]` (class 1 minus class 0). */
function foldSoftmax(t: LayoutTensor): LayoutTensor {
  const lead = t.shape.slice(0, -1);
  if (t.shape[t.shape.length - 1] !== 2) throw new Error('a softmax head must have 2 classes');
  const out = new Float32Array(t.data.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = t.data[2 * i + 1] - t.data[2 * i];
  return { shape: [...lead, 1], data: out };
}

export interface CompiledNetwork {
  readonly spec: NetworkSpec;
  readonly trunk: readonly CompiledLayer[];
  readonly head: CompiledConv | CompiledDense;
  readonly heads: readonly HeadSlice[];
  /** Every tensor above, for dispose(). */
  readonly tensors: readonly Tensor[];
}

/** Concatenates same-shaped-but-last-axis arrays along their last axis. */
function concatLastAxis(parts: readonly LayoutTensor[]): LayoutTensor {
  const lead = parts[0].shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  const widths = parts.map((p) => p.shape[p.shape.length - 1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const out = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let col = 0;
    parts.forEach((p, k) => {
      out.set(p.data.subarray(r * widths[k], (r + 1) * widths[k]), r * total + col);
      col += widths[k];
    });
  }
  return { shape: [...lead, total], data: out };
}

export function compileNetwork(tf: Tf, weights: MtcnnWeights, spec: NetworkSpec): CompiledNetwork {
  const tensors: Tensor[] = [];
  const keep = <T extends Tensor>(t: T): T => {
    tensors.push(t);
    return t;
  };
  const vector = (name: TensorName): Tensor1D => keep(tf.tensor1d(weights.get(name).data));
  const conv4d = (k: LayoutTensor): Tensor4D => keep(tf.tensor4d(k.data, k.shape as [number, number, number, number]));
  const matrix = (m: LayoutTensor): Tensor2D => keep(tf.tensor2d(m.data, m.shape as [number, number]));

  try {
    const trunk: CompiledLayer[] = [];
    let afterFlatten = false;
    spec.trunk.forEach((layer, i) => {
      const next = spec.trunk[i + 1];
      const fusedAlpha = () => (next?.kind === 'prelu' ? vector(next.alpha) : null);
      switch (layer.kind) {
        case 'conv':
          trunk.push({
            kind: 'conv',
            filter: conv4d(convKernelHWIO(weights.get(layer.weights))),
            bias: vector(layer.bias),
            alpha: fusedAlpha(),
            stride: layer.stride,
          });
          break;
        case 'dense': {
          let w: LayoutTensor = weights.get(layer.weights);
          if (afterFlatten) {
            const s = flattenInputShape(spec)!;
            w = denseForNHWCFlatten(w, s.height, s.width, s.channels);
          }
          trunk.push({ kind: 'dense', weights: matrix(w), bias: vector(layer.bias), alpha: fusedAlpha() });
          afterFlatten = false;
          break;
        }
        case 'maxpool':
          trunk.push({ kind: 'maxpool', size: layer.size, stride: layer.stride });
          break;
        case 'flatten':
          trunk.push({ kind: 'flatten' });
          afterFlatten = true;
          break;
        case 'prelu':
          if (i === 0 || (spec.trunk[i - 1].kind !== 'conv' && spec.trunk[i - 1].kind !== 'dense')) {
            throw new Error(`${spec.name}: PReLU ${layer.alpha} does not follow a conv or dense layer`);
          }
          break; // fused into the previous layer
      }
    });

    // One conv / matMul for all heads; the forward pass splits the channels again.
    const layers = spec.heads.map((h) => h.layer);
    const kind = layers[0].kind;
    if (!layers.every((l) => l.kind === kind && (l.kind !== 'conv' || l.kernel === (layers[0] as ConvLayer).kernel))) {
      throw new Error(`${spec.name}: heads must all be convs of one kernel size or all dense`);
    }
    // The softmax is folded into the face logit: on a P-Net map the slices, softmax and concat it
    // replaced cost half as much as the convolutions (tf.profile, 384x288 level).
    const heads: HeadSlice[] = [];
    let start = 0;
    for (const h of spec.heads) {
      const channels = h.softmax ? 1 : h.layer.kind === 'conv' ? h.layer.outChannels : h.layer.outFeatures;
      heads.push({ output: h.output, start, channels });
      start += channels;
    }
    const fold = (t: LayoutTensor, softmax: boolean): LayoutTensor => (softmax ? foldSoftmax(t) : t);
    const bias = keep(
      tf.tensor1d(concatLastAxis(spec.heads.map((h) => fold(weights.get(h.layer.bias), h.softmax))).data),
    );
    const head: CompiledConv | CompiledDense =
      kind === 'conv'
        ? {
            kind: 'conv',
            filter: conv4d(
              concatLastAxis(spec.heads.map((h) => fold(convKernelHWIO(weights.get(h.layer.weights)), h.softmax))),
            ),
            bias,
            alpha: null,
            stride: (layers[0] as ConvLayer).stride,
          }
        : {
            kind: 'dense',
            weights: matrix(
              concatLastAxis(spec.heads.map((h) => fold(weights.get((h.layer as DenseLayer).weights), h.softmax))),
            ),
            bias,
            alpha: null,
          };

    return { spec, trunk, head, heads, tensors };
  } catch (e) {
    for (const t of tensors) t.dispose();
    throw e;
  }
}
