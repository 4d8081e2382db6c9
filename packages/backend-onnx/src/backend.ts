import {
  checkBatchInput,
  checkLevelInput,
  levelRows,
  type MtcnnBackend,
  MtcnnError,
  type ONetOutput,
  type PixelLayout,
  type PNetOutput,
  pnetOutputSize,
  pnetStrips,
  type RNetOutput,
  toNCHW,
  toNHWC,
  wholeNumberOption,
} from '@mtcnn/core/backend-kit';
import { NETWORKS, type HeadOutput, type MtcnnWeights, type NetworkName } from '@mtcnn/models';
import { INPUT_NAME, buildOnnxModel, type InputLayout } from './build.js';
import { enqueue } from './queue.js';
import type { PReluForm } from './prelu.js';
import { loadWebOrt, type Ort, type OrtSession, type OrtSessionOptions } from './runtime.js';

export interface OnnxBackendOptions {
  /**
   * From `@mtcnn/models` (`loadWeightsFromUrl`, or `loadWeights` from `@mtcnn/models/node`); the graphs are built from
   * them.
   */
  weights: MtcnnWeights;
  /**
   * Your ONNX Runtime module (`onnxruntime-web/wasm`, `onnxruntime-web/webgpu`, `onnxruntime-node`, ...).
   * Default: `onnxruntime-web/wasm` (in Node, `createNodeOnnxBackend` from `@mtcnn/backend-onnx/node`
   * loads onnxruntime-node).
   */
  ort?: Ort;
  /** Reported as `backend.name`; default `onnx`. */
  name?: string;
  /** Passed to every `InferenceSession.create` (threads, execution providers, ...). */
  sessionOptions?: OrtSessionOptions;
  /**
   * Graph input layout; default `nchw`, whose pixels the detector resamples straight into planes (`pixelLayout` `chw`).
   */
  inputLayout?: InputLayout;
  /**
   * Crops per R-Net / O-Net run, bounding peak memory (defaults 64 / 16 on onnxruntime-node, else 512 / 128 as the tfjs
   * backend).
   */
  maxBatch?: { rnet?: number; onet?: number };
  /**
   * P-Net runs on levels larger than this many pixels go in horizontal strips (strips.ts), to bound
   * the runtime's memory. Default 131072 on onnxruntime-node (bit for bit the same outputs there),
   * unlimited elsewhere (onnxruntime-web's kernels round strips differently, by ~1e-7).
   */
  maxPNetPixels?: number;
  /**
   * How PReLU is written in the graphs (prelu.ts): `pool-first` (default on onnxruntime-node,
   * much faster there, bit for bit equal), `relu-sum` (the same without moving P-Net's first PReLU
   * after its pool), or the standard `prelu` node (default elsewhere).
   */
  prelu?: PReluForm;
  /**
   * P-Net sessions specialised to one input size (static shapes), at most this many: a size seen a
   * second time gets its own session, created then, and later runs of that size use it. ONNX
   * Runtime plans fixed shapes better: P-Net's CPU time fell by 10-17% (measured, same outputs bit
   * for bit), a whole detection's by about 4%; but each session has its own thread pool and arena:
   * +85 MB of RSS at 1920x1080 (12 sizes), +30 MB at 640x480. Default 0 (off): opt in where memory
   * is cheap. Sizes past the cap run on the session of symbolic size, as every size does the first time.
   */
  staticPNetShapes?: number;
}

export interface OnnxBackend extends MtcnnBackend {
  readonly inputLayout: InputLayout;
  /** `chw` for the `nchw` graph (pixels arrive as planes), `hwc` for `nhwc`. */
  readonly pixelLayout: PixelLayout;
  /** `dispose()`, resolving once every session is released (after runs in flight finish). Idempotent. */
  disposeAsync(): Promise<void>;
}

/** A whole-number option >= 1, or `fallback` when left out. */
function positiveInt(v: number | undefined, fallback: number, what: string): number {
  return v === undefined ? fallback : wholeNumberOption(what, v, 1);
}

// Memory patterns are planned per input shape: with P-Net's many level sizes they made the arena
// hold about 150 MB more (measured at 1920x1080), for no speed-up.
const DEFAULT_SESSION_OPTIONS: OrtSessionOptions = {
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  enableMemPattern: false,
};

/**
 * An `MtcnnBackend` on ONNX Runtime. Builds the three graphs from the weights and creates one
 * session per network, once; `dispose()` releases them.
 */
export async function createOnnxBackend(options: OnnxBackendOptions): Promise<OnnxBackend> {
  const { weights } = options;
  const inputLayout = options.inputLayout ?? 'nchw';
  const name = options.name ?? 'onnx';
  const pixelLayout: PixelLayout = inputLayout === 'nchw' ? 'chw' : 'hwc';
  const ort = options.ort ?? (await loadWebOrt());
  // onnxruntime-node reports its version in env.versions.node; its CPU kernels are what the
  // relu-sum form and the strips were measured (and tested bit-exact) on.
  const isOrtNode = typeof (ort.env as { versions?: { node?: unknown } } | undefined)?.versions?.node === 'string';
  const maxPNetPixels =
    options.maxPNetPixels === Infinity
      ? Infinity
      : positiveInt(options.maxPNetPixels, isOrtNode ? 131_072 : Infinity, 'maxPNetPixels');
  const preluForm: PReluForm = options.prelu ?? (isOrtNode ? 'pool-first' : 'prelu');
  // ORT's CPU provider blocks channels by 8 or 16 (AVX2 / AVX-512): maps padded to 16 stay in that
  // layout through the pools (build.ts). onnxruntime-web has no blocked layout: padding would only add work.
  const padChannels = isOrtNode ? 16 : 1;
  // onnxruntime-node keeps each session's largest activations in its arena: smaller chunks bound
  // RSS (measured: 297 -> 193 MB for 2790 R-Net + 89 O-Net crops) at the same speed.
  const maxRNet = positiveInt(options.maxBatch?.rnet, isOrtNode ? 64 : 512, 'maxBatch.rnet');
  const maxONet = positiveInt(options.maxBatch?.onet, isOrtNode ? 16 : 128, 'maxBatch.onet');
  const sessionOptions = { ...DEFAULT_SESSION_OPTIONS, ...options.sessionOptions };
  const maxStatic = options.staticPNetShapes === 0 ? 0 : positiveInt(options.staticPNetShapes, 0, 'staticPNetShapes');
  const pnetModel = (height: number | 'H', width: number | 'W'): Uint8Array =>
    buildOnnxModel(weights, NETWORKS.pnet, {
      inputLayout,
      prelu: preluForm,
      padChannels,
      faceScore: 'logit',
      size: { height, width },
    });

  const sessions: Partial<Record<NetworkName, OrtSession>> = {};
  try {
    for (const net of ['pnet', 'rnet', 'onet'] as const) {
      sessions[net] = await ort.InferenceSession.create(
        net === 'pnet'
          ? pnetModel('H', 'W')
          : buildOnnxModel(weights, NETWORKS[net], { inputLayout, prelu: preluForm, padChannels, faceScore: 'logit' }),
        sessionOptions,
      );
    }
  } catch (cause) {
    await Promise.allSettled(Object.values(sessions).map((s) => s.release()));
    if (cause instanceof MtcnnError || cause instanceof RangeError) throw cause;
    throw new MtcnnError('BACKEND_FAILED', `ONNX Runtime could not create the ${name} sessions: ${String(cause)}`, {
      cause,
    });
  }
  const { pnet, rnet, onet } = sessions as Record<NetworkName, OrtSession>;
  // Runs are queued per runtime instance (its `env` is shared by all its sessions): see queue.ts.
  const runtimeKey: object = ort.env ?? ort.InferenceSession;

  /** P-Net sessions by input size `HxW` (static shapes), and how often each size was seen. */
  const pnetBySize = new Map<string, Promise<OrtSession>>();
  const seen = new Map<string, number>();
  /** The P-Net session for an input of this size: its own from the second run of the size on. */
  const pnetFor = async (height: number, width: number): Promise<OrtSession> => {
    if (maxStatic === 0) return pnet;
    const key = `${height}x${width}`;
    const own = pnetBySize.get(key);
    if (own) return own;
    const n = (seen.get(key) ?? 0) + 1;
    if (seen.size < 4 * maxStatic || seen.has(key)) seen.set(key, n);
    if (n < 2 || pnetBySize.size >= maxStatic) return pnet;
    const created = ort.InferenceSession.create(pnetModel(height, width), sessionOptions);
    pnetBySize.set(key, created);
    try {
      return await created;
    } catch {
      return pnet; // the symbolic session runs every size
    }
  };

  let disposed: Promise<void> | null = null;
  /** Runs in flight, so that release waits for them (releasing a running session is undefined). */
  const inflight = new Set<Promise<unknown>>();

  /** One session run on `input` laid out as NHWC `[n, h, w, 3]`; returns the outputs' data. */
  const run = async (
    session: OrtSession,
    input: Float32Array,
    n: number,
    h: number,
    w: number,
    layout: PixelLayout,
  ): Promise<Record<string, Float32Array>> => {
    // The detector resamples straight into our `pixelLayout` (CHW for an NCHW graph): no copy then.
    let pixels = input;
    if (layout !== pixelLayout) pixels = pixelLayout === 'chw' ? toNCHW(input, n, h, w, 3) : toNHWC(input, n, h, w, 3);
    const tensor = new ort.Tensor('float32', pixels, inputLayout === 'nchw' ? [n, 3, h, w] : [n, h, w, 3]);
    const pending = enqueue(runtimeKey, () => session.run({ [INPUT_NAME]: tensor }));
    inflight.add(pending);
    try {
      const out = await pending;
      const data: Record<string, Float32Array> = {};
      for (const [key, value] of Object.entries(out)) {
        if (!(value.data instanceof Float32Array))
          throw new MtcnnError('BACKEND_FAILED', `${name}: output ${key} is not float32 on the CPU`);
        data[key] = value.data;
      }
      return data;
    } catch (cause) {
      if (cause instanceof MtcnnError) throw cause;
      throw new MtcnnError('BACKEND_FAILED', `${name}: ONNX Runtime failed: ${String(cause)}`, { cause });
    } finally {
      inflight.delete(pending);
    }
  };

  const expectLength = (what: string, data: Float32Array | undefined, length: number): Float32Array => {
    if (!data || data.length !== length) {
      throw new MtcnnError('BACKEND_FAILED', `${name}: ${what} has ${data?.length} values, expected ${length}`);
    }
    return data;
  };

  /** R-Net / O-Net over `count` crops, in chunks of at most `chunk`. */
  const runBatch = async (
    net: NetworkName,
    session: OrtSession,
    crops: Float32Array,
    count: number,
    chunk: number,
    layout: PixelLayout,
  ) => {
    const side = NETWORKS[net].inputSize!;
    const per = side * side * 3;
    checkBatchInput(net, crops, count, side);
    // The graphs name the face-score output `logit` (build.ts, faceScore 'logit').
    const heads = NETWORKS[net].heads.map((h) => ({
      output: h.softmax ? ('logit' as const) : h.output,
      width: h.softmax ? 1 : h.layer.kind === 'conv' ? h.layer.outChannels : h.layer.outFeatures,
    }));
    const out: Partial<Record<HeadOutput | 'logit', Float32Array>> = {};
    for (let at = 0; at < count; at += chunk) {
      const n = Math.min(chunk, count - at);
      const got = await run(session, crops.subarray(at * per, (at + n) * per), n, side, side, layout);
      for (const { output, width } of heads) {
        const part = expectLength(`${net} ${output}`, got[output], n * width);
        if (n === count) out[output] = part;
        else {
          const whole = out[output] ?? new Float32Array(count * width);
          out[output] = whole;
          whole.set(part, at * width);
        }
      }
    }
    return out;
  };

  const disposeAsync = (): Promise<void> => {
    disposed ??= Promise.allSettled([...inflight])
      .then(async () => {
        const own = (await Promise.allSettled(pnetBySize.values()))
          .filter((r): r is PromiseFulfilledResult<OrtSession> => r.status === 'fulfilled')
          .map((r) => r.value);
        return Promise.allSettled([pnet, rnet, onet, ...own].map((s) => s.release()));
      })
      .then((results) => {
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed)
          throw new MtcnnError('BACKEND_FAILED', `${name}: releasing a session failed: ${String(failed.reason)}`, {
            cause: failed.reason,
          });
      });
    return disposed;
  };

  /**
   * A public call: refused once disposed, and tracked as a whole, so that dispose() lets every
   * chunk / strip of a call already started finish before the sessions are released.
   */
  const call =
    <A extends unknown[], T>(f: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> => {
      if (disposed)
        return Promise.reject(new MtcnnError('DISPOSED', `The ${name} backend was disposed; create a new one.`));
      const p = f(...args);
      inflight.add(p);
      const done = (): void => void inflight.delete(p);
      p.then(done, done);
      return p;
    };

  const backend: OnnxBackend = {
    name,
    inputLayout,
    pixelLayout,

    async runPNet(
      level: Float32Array,
      height: number,
      width: number,
      layout: PixelLayout = 'hwc',
    ): Promise<PNetOutput> {
      checkLevelInput(level, height, width);
      const mapH = pnetOutputSize(height);
      const mapW = pnetOutputSize(width);
      const strips = pnetStrips(height, width, mapH, maxPNetPixels);
      if (strips.length === 1) {
        const got = await run(await pnetFor(height, width), level, 1, height, width, layout);
        return {
          logit: expectLength('P-Net logit', got.logit, mapH * mapW),
          reg: expectLength('P-Net reg', got.reg, mapH * mapW * 4),
          height: mapH,
          width: mapW,
        };
      }
      const logit = new Float32Array(mapH * mapW);
      const reg = new Float32Array(mapH * mapW * 4);
      // One buffer for this call's strips (runs are sequential within the call).
      const buffer =
        layout === 'chw' ? new Float32Array(Math.max(...strips.map((x) => x.rows)) * width * 3) : undefined;
      for (const s of strips) {
        const got = await run(
          await pnetFor(s.rows, width),
          levelRows(level, layout, height, width, s.r0, s.rows, buffer),
          1,
          s.rows,
          width,
          layout,
        );
        const cells = (s.y1 - s.y0) * mapW;
        logit.set(expectLength('P-Net logit', got.logit, cells), s.y0 * mapW);
        reg.set(expectLength('P-Net reg', got.reg, cells * 4), s.y0 * mapW * 4);
      }
      return { logit, reg, height: mapH, width: mapW };
    },

    async runRNet(crops: Float32Array, count: number, layout: PixelLayout = 'hwc'): Promise<RNetOutput> {
      const out = await runBatch('rnet', rnet, crops, count, maxRNet, layout);
      return { logit: out.logit!, reg: out.reg! };
    },

    async runONet(crops: Float32Array, count: number, layout: PixelLayout = 'hwc'): Promise<ONetOutput> {
      const out = await runBatch('onet', onet, crops, count, maxONet, layout);
      return { logit: out.logit!, reg: out.reg!, landmarks: out.landmarks! };
    },

    dispose(): void {
      // The interface is synchronous: release in the background; disposeAsync() reports failures.
      disposeAsync().catch(() => undefined);
    },

    disposeAsync,
  };
  backend.runPNet = call(backend.runPNet);
  backend.runRNet = call(backend.runRNet);
  backend.runONet = call(backend.runONet);
  return backend;
}
