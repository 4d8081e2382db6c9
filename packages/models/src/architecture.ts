/**
 * The three networks as data (docs/architecture.md, "The pipeline, step by step"; PyTorch
 * notation), so every backend, the ONNX builder and FLOP counting read one description. Spatial
 * sizes are image-oriented; the weights' transposed storage is handled by layout.ts.
 */
import type { TensorName } from './manifest.js';

export type NetworkName = 'pnet' | 'rnet' | 'onet';

/** Square kernel, no padding ("valid"). */
export interface ConvLayer {
  readonly kind: 'conv';
  readonly weights: TensorName;
  readonly bias: TensorName;
  readonly kernel: number;
  readonly stride: number;
  readonly inChannels: number;
  readonly outChannels: number;
}

/** Per-channel PReLU. */
export interface PReluLayer {
  readonly kind: 'prelu';
  readonly alpha: TensorName;
  readonly channels: number;
}

/** Max pool, no padding, ceil mode: the last window may hang over the bottom/right edge. */
export interface MaxPoolLayer {
  readonly kind: 'maxpool';
  readonly size: number;
  readonly stride: number;
  readonly ceil: true;
}

/** Flatten before the first dense layer; the stored weights expect (W, H, C) order (layout.ts). */
export interface FlattenLayer {
  readonly kind: 'flatten';
  readonly order: 'WHC';
}

/** `[in, out]` weights. */
export interface DenseLayer {
  readonly kind: 'dense';
  readonly weights: TensorName;
  readonly bias: TensorName;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

export type TrunkLayer = ConvLayer | PReluLayer | MaxPoolLayer | FlattenLayer | DenseLayer;

export type HeadOutput = 'prob' | 'reg' | 'landmarks';

/** An output branch on the trunk's last activation. `prob` heads are 2-class softmax, channel 1 = face. */
export interface Head {
  readonly output: HeadOutput;
  readonly layer: ConvLayer | DenseLayer;
  readonly softmax: boolean;
}

export interface NetworkSpec {
  readonly name: NetworkName;
  /** Square input side, or `null` for the fully convolutional P-Net (any side >= `minInputSize`). */
  readonly inputSize: number | null;
  readonly minInputSize: number;
  readonly inputChannels: 3;
  readonly trunk: readonly TrunkLayer[];
  readonly heads: readonly Head[];
}

const conv = (net: NetworkName, id: string, kernel: number, inChannels: number, outChannels: number): ConvLayer => ({
  kind: 'conv',
  weights: `${net}/${id}/weights` as TensorName,
  bias: `${net}/${id}/bias` as TensorName,
  kernel,
  stride: 1,
  inChannels,
  outChannels,
});
const prelu = (net: NetworkName, n: number, channels: number): PReluLayer => ({
  kind: 'prelu',
  alpha: `${net}/prelu${n}_alpha` as TensorName,
  channels,
});
const pool = (size: number, stride: number): MaxPoolLayer => ({ kind: 'maxpool', size, stride, ceil: true });
const dense = (net: NetworkName, id: string, inFeatures: number, outFeatures: number): DenseLayer => ({
  kind: 'dense',
  weights: `${net}/${id}/weights` as TensorName,
  bias: `${net}/${id}/bias` as TensorName,
  inFeatures,
  outFeatures,
});
const flatten: FlattenLayer = { kind: 'flatten', order: 'WHC' };

export const PNET: NetworkSpec = {
  name: 'pnet',
  inputSize: null,
  minInputSize: 12,
  inputChannels: 3,
  trunk: [
    conv('pnet', 'conv1', 3, 3, 10),
    prelu('pnet', 1, 10),
    pool(2, 2),
    conv('pnet', 'conv2', 3, 10, 16),
    prelu('pnet', 2, 16),
    conv('pnet', 'conv3', 3, 16, 32),
    prelu('pnet', 3, 32),
  ],
  heads: [
    { output: 'prob', layer: conv('pnet', 'conv4_1', 1, 32, 2), softmax: true },
    { output: 'reg', layer: conv('pnet', 'conv4_2', 1, 32, 4), softmax: false },
  ],
};

export const RNET: NetworkSpec = {
  name: 'rnet',
  inputSize: 24,
  minInputSize: 24,
  inputChannels: 3,
  trunk: [
    conv('rnet', 'conv1', 3, 3, 28),
    prelu('rnet', 1, 28),
    pool(3, 2),
    conv('rnet', 'conv2', 3, 28, 48),
    prelu('rnet', 2, 48),
    pool(3, 2),
    conv('rnet', 'conv3', 2, 48, 64),
    prelu('rnet', 3, 64),
    flatten,
    dense('rnet', 'fc1', 576, 128),
    prelu('rnet', 4, 128),
  ],
  heads: [
    { output: 'prob', layer: dense('rnet', 'fc2_1', 128, 2), softmax: true },
    { output: 'reg', layer: dense('rnet', 'fc2_2', 128, 4), softmax: false },
  ],
};

export const ONET: NetworkSpec = {
  name: 'onet',
  inputSize: 48,
  minInputSize: 48,
  inputChannels: 3,
  trunk: [
    conv('onet', 'conv1', 3, 3, 32),
    prelu('onet', 1, 32),
    pool(3, 2),
    conv('onet', 'conv2', 3, 32, 64),
    prelu('onet', 2, 64),
    pool(3, 2),
    conv('onet', 'conv3', 3, 64, 64),
    prelu('onet', 3, 64),
    pool(2, 2),
    conv('onet', 'conv4', 2, 64, 128),
    prelu('onet', 4, 128),
    flatten,
    dense('onet', 'fc1', 1152, 256),
    prelu('onet', 5, 256),
  ],
  heads: [
    { output: 'prob', layer: dense('onet', 'fc2_1', 256, 2), softmax: true },
    { output: 'reg', layer: dense('onet', 'fc2_2', 256, 4), softmax: false },
    { output: 'landmarks', layer: dense('onet', 'fc2_3', 256, 10), softmax: false },
  ],
};

export const NETWORKS: Readonly<Record<NetworkName, NetworkSpec>> = { pnet: PNET, rnet: RNET, onet: ONET };

/** "Valid" convolution output side. */
export function convOutputSize(input: number, kernel: number, stride = 1): number {
  return Math.floor((input - kernel) / stride) + 1;
}

/** Ceil-mode max-pool output side (PyTorch `ceil_mode=True`, no padding; size >= stride here). */
export function poolOutputSize(input: number, size: number, stride: number): number {
  return Math.ceil((input - size) / stride) + 1;
}

/** Bottom/right padding (ignored cells, i.e. -Infinity) that turns a floor-mode pool into ceil mode. */
export function poolCeilPadding(input: number, size: number, stride: number): number {
  return (poolOutputSize(input, size, stride) - 1) * stride + size - input;
}

/** Activation shape: a feature map, or a feature vector after `flatten`. */
export type ActivationShape =
  | { readonly kind: 'map'; readonly height: number; readonly width: number; readonly channels: number }
  | { readonly kind: 'vector'; readonly features: number };

function inputSides(net: NetworkSpec, height?: number, width?: number): [number, number] {
  const h = height ?? net.inputSize;
  const w = width ?? net.inputSize;
  if (h == null || w == null) throw new RangeError(`${net.name} needs an explicit input height and width`);
  if (h < net.minInputSize || w < net.minInputSize) {
    throw new RangeError(`${net.name} input ${h}x${w} is smaller than ${net.minInputSize}x${net.minInputSize}`);
  }
  return [h, w];
}

function applyLayer(layer: TrunkLayer | ConvLayer | DenseLayer, s: ActivationShape): ActivationShape {
  switch (layer.kind) {
    case 'conv':
      if (s.kind !== 'map') throw new Error('conv after flatten');
      return {
        kind: 'map',
        height: convOutputSize(s.height, layer.kernel, layer.stride),
        width: convOutputSize(s.width, layer.kernel, layer.stride),
        channels: layer.outChannels,
      };
    case 'maxpool':
      if (s.kind !== 'map') throw new Error('maxpool after flatten');
      return {
        kind: 'map',
        height: poolOutputSize(s.height, layer.size, layer.stride),
        width: poolOutputSize(s.width, layer.size, layer.stride),
        channels: s.channels,
      };
    case 'flatten':
      return s.kind === 'map' ? { kind: 'vector', features: s.height * s.width * s.channels } : s;
    case 'dense':
      return { kind: 'vector', features: layer.outFeatures };
    case 'prelu':
      return s;
  }
}

/** Input shape of every trunk layer, then the trunk's output shape (length `trunk.length + 1`). */
export function trunkShapes(net: NetworkSpec, height?: number, width?: number): ActivationShape[] {
  const [h, w] = inputSides(net, height, width);
  const shapes: ActivationShape[] = [{ kind: 'map', height: h, width: w, channels: net.inputChannels }];
  for (const layer of net.trunk) shapes.push(applyLayer(layer, shapes[shapes.length - 1]));
  return shapes;
}

/** The feature map entering `flatten` (what `denseForNHWCFlatten` needs), or null for P-Net. */
export function flattenInputShape(net: NetworkSpec): { height: number; width: number; channels: number } | null {
  const i = net.trunk.findIndex((l) => l.kind === 'flatten');
  if (i < 0) return null;
  const s = trunkShapes(net)[i];
  if (s.kind !== 'map') throw new Error(`${net.name}: flatten of a vector`);
  return { height: s.height, width: s.width, channels: s.channels };
}

/** P-Net output map side for an input side: `ceil((n - 2) / 2) - 4` (12 -> 1). */
export function pnetMapSize(input: number): number {
  const s = trunkShapes(PNET, input, input).at(-1)!;
  return s.kind === 'map' ? s.height : 0;
}

/** Multiply-adds x 2 of the conv and dense layers (bias, PReLU, pooling, softmax not counted). */
export function networkFlops(net: NetworkSpec, height?: number, width?: number): number {
  const shapes = trunkShapes(net, height, width);
  let macs = 0;
  const count = (layer: TrunkLayer | ConvLayer | DenseLayer, input: ActivationShape): void => {
    const out = applyLayer(layer, input);
    if (layer.kind === 'conv' && out.kind === 'map') {
      macs += out.height * out.width * layer.kernel * layer.kernel * layer.inChannels * layer.outChannels;
    } else if (layer.kind === 'dense') {
      macs += layer.inFeatures * layer.outFeatures;
    }
  };
  net.trunk.forEach((layer, i) => {
    count(layer, shapes[i]);
  });
  for (const head of net.heads) count(head.layer, shapes[shapes.length - 1]);
  return 2 * macs;
}
