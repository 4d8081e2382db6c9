import type * as tfc from '@tensorflow/tfjs-core';

/** The `@tensorflow/tfjs-core` module the caller uses (and registered a backend in). */
export type Tf = typeof tfc;
export type { Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';

/**
 * Silences tfjs-cpu's one-time console advice to install tfjs-node (a native build downloaded from
 * outside the npm registry, which this project does not use), so that a CLI's or a service's output
 * stays its own; e.g. the tfjs-cpu that decides boxes on a pixel edge behind onnx would print it.
 */
export function quietCpuAdvice(tf: Tf): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}
