import {
  checkBatchInput,
  checkLevelInput,
  type MtcnnBackend,
  MtcnnError,
  type ONetOutput,
  type PixelLayout,
  type PNetOutput,
  pnetOutputSize,
  type RNetOutput,
  toNHWC,
} from '@mtcnn/core/backend-kit';
import { ONET, PNET, RNET, type HeadOutput, type MtcnnWeights } from '@mtcnn/models';
import { compileNetwork, type CompiledNetwork } from './compile.js';
import { forward, packedColumns } from './forward.js';
import type { Tensor2D, Tf } from './tf.js';

export interface TfjsBackendOptions {
  /** Your `@tensorflow/tfjs-core` module, with the tfjs backend you want (wasm, cpu, webgl, webgpu) set and ready. */
  tf: Tf;
  /** From `@mtcnn/models` (`loadWeights` / `loadWeightsFromUrl`). */
  weights: MtcnnWeights;
  /** Reported as `backend.name`; defaults to `tfjs-<tfjs backend>`. */
  name?: string;
  /** Crops per R-Net / O-Net call, bounding peak memory (defaults 512 / 128: about 30 MB of activations each). */
  maxBatch?: { rnet?: number; onet?: number };
}

export interface TfjsBackend extends MtcnnBackend {
  /** The tfjs backend (e.g. `wasm`) every run executes on: the one active at creation. */
  readonly tfBackend: string;
}

function positiveInt(v: number | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what} must be an integer >= 1, got ${v}`);
  return v;
}

/** Copies `rows` rows of the packed forward output into the per-head arrays at row `at`. */
function unpack(
  packed: Float32Array,
  net: CompiledNetwork,
  rows: number,
  at: number,
  out: Partial<Record<HeadOutput, Float32Array>>,
): void {
  const cols = packedColumns(net);
  if (packed.length !== rows * cols) {
    throw new MtcnnError(
      'BACKEND_FAILED',
      `${net.spec.name}: tfjs returned ${packed.length} values, expected ${rows} x ${cols}`,
    );
  }
  for (const s of net.heads) {
    const width = s.channels;
    const dst = out[s.output]!;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < width; c++) dst[(at + r) * width + c] = packed[r * cols + s.start + c];
    }
  }
}

/**
 * An `MtcnnBackend` on the caller's tfjs-core. Weights are uploaded once, on the tfjs backend active
 * now; `dispose()` frees them.
 */
export function createTfjsBackend(options: TfjsBackendOptions): TfjsBackend {
  const { tf, weights } = options;
  const tfBackend = tf.getBackend();
  if (!tfBackend)
    throw new MtcnnError(
      'BACKEND_FAILED',
      'No tfjs backend is active: call tf.setBackend(...) and await tf.ready() first.',
    );
  const maxRNet = positiveInt(options.maxBatch?.rnet, 512, 'maxBatch.rnet');
  const maxONet = positiveInt(options.maxBatch?.onet, 128, 'maxBatch.onet');

  const nets: CompiledNetwork[] = [];
  try {
    for (const spec of [PNET, RNET, ONET]) nets.push(compileNetwork(tf, weights, spec));
  } catch (e) {
    for (const n of nets) for (const t of n.tensors) t.dispose();
    throw e;
  }
  const [pnet, rnet, onet] = nets;
  const name = options.name ?? `tfjs-${tfBackend}`;
  let disposed = false;

  const alive = (): void => {
    if (disposed) throw new MtcnnError('DISPOSED', `The ${name} backend was disposed; create a new one.`);
  };

  /** Makes `backend` tfjs's active one; synchronous for an initialised backend. */
  const activate = (backend: string): void => {
    tf.setBackend(backend).catch(() => undefined);
    if (tf.getBackend() !== backend) {
      throw new MtcnnError(
        'BACKEND_FAILED',
        `Could not switch tfjs to its "${backend}" backend (was it removed?); create a new ${name} backend.`,
      );
    }
  };

  /** Runs `build` in a tidy on our tfjs backend, then reads the result asynchronously. */
  const exec = async (build: () => Tensor2D): Promise<Float32Array> => {
    alive();
    // tfjs's active backend is global: if someone switched it, run on ours and switch straight back.
    // Both switches are synchronous, so no other code sees our backend active.
    const previous = tf.getBackend();
    let out: Tensor2D;
    if (previous === tfBackend) {
      out = tf.tidy(build);
    } else {
      if (!tf.findBackend(tfBackend)) {
        throw new MtcnnError(
          'BACKEND_FAILED',
          `The tfjs "${tfBackend}" backend holding the weights is gone; create a new ${name} backend.`,
        );
      }
      activate(tfBackend);
      try {
        out = tf.tidy(build);
      } finally {
        activate(previous);
      }
    }
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  };

  const runBatch = async (
    net: CompiledNetwork,
    side: number,
    crops: Float32Array,
    count: number,
    chunk: number,
    layout: PixelLayout,
  ) => {
    checkBatchInput(net.spec.name, crops, count, side);
    if (layout === 'chw') crops = toNHWC(crops, count, side, side, 3); // tfjs runs NHWC
    const per = side * side * 3;
    const out: Partial<Record<HeadOutput, Float32Array>> = {};
    for (const s of net.heads) out[s.output] = new Float32Array(count * s.channels);
    for (let at = 0; at < count; at += chunk) {
      const n = Math.min(chunk, count - at);
      const packed = await exec(() =>
        forward(tf, net, tf.tensor4d(crops.subarray(at * per, (at + n) * per), [n, side, side, 3])),
      );
      unpack(packed, net, n, at, out);
    }
    return out;
  };

  return {
    name,
    tfBackend,

    async runPNet(
      level: Float32Array,
      height: number,
      width: number,
      layout: PixelLayout = 'hwc',
    ): Promise<PNetOutput> {
      checkLevelInput(level, height, width);
      if (layout === 'chw') level = toNHWC(level, 1, height, width, 3); // tfjs runs NHWC
      const packed = await exec(() => forward(tf, pnet, tf.tensor4d(level, [1, height, width, 3])));
      const mapH = pnetOutputSize(height);
      const mapW = pnetOutputSize(width);
      const out = { prob: new Float32Array(mapH * mapW), reg: new Float32Array(mapH * mapW * 4) };
      unpack(packed, pnet, mapH * mapW, 0, out);
      return { logit: out.prob, reg: out.reg, height: mapH, width: mapW };
    },

    async runRNet(crops: Float32Array, count: number, layout: PixelLayout = 'hwc'): Promise<RNetOutput> {
      const out = await runBatch(rnet, 24, crops, count, maxRNet, layout);
      return { logit: out.prob!, reg: out.reg! };
    },

    async runONet(crops: Float32Array, count: number, layout: PixelLayout = 'hwc'): Promise<ONetOutput> {
      const out = await runBatch(onet, 48, crops, count, maxONet, layout);
      return { logit: out.prob!, reg: out.reg!, landmarks: out.landmarks! };
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const n of nets) for (const t of n.tensors) t.dispose();
    },
  };
}
