import { poolCeilPadding } from '@mtcnn/models';
import type { Tensor4D, Tf } from './tf.js';

/**
 * Max pool in ceil mode (as the Caffe/PyTorch nets). tfjs has no ceil mode: `dimRoundingMode: 'ceil'`
 * sizes the output right but the wasm backend then returns garbage in the extra row/column, and
 * `'same'` pads the top/left for some sizes (e.g. 9 -> 5, not 4). Explicit bottom/right padding
 * works on every backend: padded cells are skipped, i.e. act as -Infinity.
 */
export function maxPoolCeil(tf: Tf, x: Tensor4D, size: number, stride: number): Tensor4D {
  const [, h, w] = x.shape;
  const ph = poolCeilPadding(h, size, stride);
  const pw = poolCeilPadding(w, size, stride);
  if (ph === 0 && pw === 0) return tf.maxPool(x, size, stride, 'valid');
  return tf.maxPool(x, size, stride, [
    [0, 0],
    [0, ph],
    [0, pw],
    [0, 0],
  ]);
}
