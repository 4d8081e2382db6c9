import type { CompiledConv, CompiledDense, CompiledNetwork } from './compile.js';
import { maxPoolCeil } from './pool.js';
import type { Tensor, Tensor2D, Tensor4D, Tf } from './tf.js';

function conv(tf: Tf, x: Tensor4D, l: CompiledConv): Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: l.filter,
    strides: l.stride,
    pad: 'valid',
    bias: l.bias,
    activation: l.alpha ? 'prelu' : 'linear',
    preluActivationWeights: l.alpha ?? undefined,
  });
}

function dense(tf: Tf, x: Tensor2D, l: CompiledDense): Tensor2D {
  return tf.fused.matMul({
    a: x,
    b: l.weights,
    bias: l.bias,
    activation: l.alpha ? 'prelu' : 'linear',
    preluActivationWeights: l.alpha ?? undefined,
  }) as Tensor2D;
}

/**
 * The network on NHWC input (image orientation). Returns `[rows, columns]` with one row per output
 * position (P-Net: map cell, row-major; R/O-Net: crop) and the heads' columns in order, a softmax
 * head as its folded face logit `l1 - l0` (compile.ts). Call inside `tf.tidy`.
 */
export function forward(tf: Tf, net: CompiledNetwork, input: Tensor4D): Tensor2D {
  let x: Tensor = input;
  for (const l of net.trunk) {
    switch (l.kind) {
      case 'conv':
        x = conv(tf, x as Tensor4D, l);
        break;
      case 'maxpool':
        x = maxPoolCeil(tf, x as Tensor4D, l.size, l.stride);
        break;
      case 'flatten':
        // Plain NHWC flatten: fc1's rows were permuted to match (see @mtcnn/models layout).
        x = tf.reshape(x, [x.shape[0], -1]);
        break;
      case 'dense':
        x = dense(tf, x as Tensor2D, l);
        break;
    }
  }
  const h = net.head.kind === 'conv' ? conv(tf, x as Tensor4D, net.head) : dense(tf, x as Tensor2D, net.head);
  return tf.reshape(h, [-1, h.shape[h.shape.length - 1]]) as Tensor2D;
}

/** Number of columns `forward` returns. */
export function packedColumns(net: CompiledNetwork): number {
  return net.heads.reduce((n, s) => n + s.channels, 0);
}
