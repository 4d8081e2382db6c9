import type * as tfc from '@tensorflow/tfjs-core';

/** The `@tensorflow/tfjs-core` module the caller uses (and registered a backend in). */
export type Tf = typeof tfc;
export type { Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
