import { MtcnnError, type FaceCrop } from '@mtcnn/core';
import type { Tensor4D, Tf } from './tf.js';

export interface CropsToTensorOptions {
  /** Subtracted from every 0..255 value. Default 0. ArcFace-style models: 127.5. */
  mean?: number;
  /** Then divided by this. Default 1. ArcFace-style models: 127.5 (or 128). */
  std?: number;
}

/**
 * Face crops (from `extractFaces`, all one size) as one float32 `[n, size, size, 3]` tensor (NHWC,
 * RGB) on tfjs's active backend, `(v - mean) / std`, ready for a recognition model. The caller
 * owns the tensor (dispose it, or create it inside `tf.tidy`).
 */
export function cropsToTensor(tf: Tf, crops: readonly FaceCrop[], options: CropsToTensorOptions = {}): Tensor4D {
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std === 0) {
    throw new MtcnnError('INVALID_OPTION', `mean must be a number and std a non-zero number, got ${mean} and ${std}.`);
  }
  const [first] = crops;
  const width = first?.width ?? 0;
  const height = first?.height ?? 0;
  if (crops.some((c) => c.width !== width || c.height !== height)) {
    throw new MtcnnError(
      'INVALID_OPTION',
      'All crops must have the same size to share one tensor; extract them with one size option.',
    );
  }
  const per = width * height * 3;
  const values = new Float32Array(crops.length * per);
  crops.forEach((c, i) => {
    for (let j = 0; j < per; j++) values[i * per + j] = (c.data[j] - mean) / std;
  });
  return tf.tensor4d(values, [crops.length, height, width, 3], 'float32');
}
