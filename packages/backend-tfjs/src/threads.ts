/**
 * The tfjs backend on several threads (Node): tfjs's wasm and cpu backends compute on one thread
 * per JavaScript realm, so this backend runs `threads` copies of tfjs in worker threads and splits
 * each call between them: R-Net / O-Net batches into contiguous parts, a large P-Net level into
 * horizontal strips (`pnetStrips` of @mtcnn/core). Each output row / crop gets exactly the
 * arithmetic it gets in one piece (tested bit for bit), so the faces are those of one thread.
 * Measured on 2 cores: about 1.8x the throughput of the in-process backend per detection.
 */
import { createThreadPool } from '@mtcnn/core/backend-kit/node';
import {
  checkBatchInput,
  checkLevelInput,
  levelRows,
  mergePNetStrips,
  MtcnnError,
  type ONetOutput,
  type PixelLayout,
  type PNetOutput,
  pnetOutputSize,
  pnetStrips,
  type RNetOutput,
  toNHWC,
} from '@mtcnn/core/backend-kit';
import { weightsTransfer, type MtcnnWeights, type WeightsTransfer } from '@mtcnn/models';
import type { TfjsBackend } from './backend.js';

export interface ThreadData {
  kind: 'wasm' | 'cpu';
  weights: WeightsTransfer;
  maxBatch?: { rnet?: number; onet?: number };
}
export interface ThreadRequest {
  net: 'pnet' | 'rnet' | 'onet';
  data: Float32Array;
  height?: number;
  width?: number;
  count?: number;
}
/** Levels smaller than this run whole on one thread: splitting would cost more than it saves. */
const MIN_SPLIT_PIXELS = 16_384;
/**
 * P-Net runs on at most about this many pixels: tfjs-backend-wasm's memory only grows, to the
 * largest run it has held (measured per thread: 100-120 MB after a 1152x648 level whole, 53 MB
 * with pieces of <= 150k pixels, and ~90 MB less RSS at 1920x1080 with 2 threads).
 */
const MAX_STRIP_PIXELS = 150_000;
/**
 * Each thread's young generation, MB. V8 grows it (8 -> 16 -> 32 MB semi-spaces) in steps and never
 * gives it back; in 3 isolates that was most of a 6,000-detection soak's growth. 12 MB keeps the
 * 4 MB semi-spaces (measured: tfjs-cpu flat, tfjs-wasm 42 MB lower at 6,000, no speed cost seen).
 */
const YOUNG_GENERATION_MB = 12;
/** Batches smaller than this per thread run whole on one thread. */
const MIN_SPLIT_CROPS = 4;

/** The built worker beside this module (from src/ under vitest: dist/thread.js). */
function threadUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? '../dist/thread.js' : './thread.js', here);
}

/** HWC pixels of `count` images given in `layout` (tfjs runs NHWC). */
const toHwc = (data: Float32Array, layout: PixelLayout, count: number, height: number, width: number): Float32Array =>
  layout === 'hwc' ? data : toNHWC(data, count, height, width, 3);

export async function createThreadedTfjsBackend(options: {
  kind: 'wasm' | 'cpu';
  weights: MtcnnWeights;
  threads: number;
  maxBatch?: { rnet?: number; onet?: number };
}): Promise<TfjsBackend & { readonly threads: number }> {
  const { kind, weights, threads } = options;
  const name = `tfjs-${kind}`;
  const pool = await createThreadPool({
    url: threadUrl(),
    workerData: { kind, weights: weightsTransfer(weights), maxBatch: options.maxBatch } satisfies ThreadData,
    threads,
    name,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  let disposed = false;
  /** Runs one request on the next free thread; `data` is copied to it (the caller keeps its buffer). */
  const send = <T>(req: ThreadRequest): Promise<T> => {
    const copy = req.data.slice();
    return pool.send<T>({ ...req, data: copy }, [copy.buffer]);
  };

  const alive = (): void => {
    if (disposed) throw new MtcnnError('DISPOSED', `The ${name} backend was disposed; create a new one.`);
  };

  /** Splits `count` crops into contiguous parts, one per thread, and concatenates the outputs. */
  const batch = async <T extends RNetOutput>(
    net: 'rnet' | 'onet',
    crops: Float32Array,
    count: number,
    layout: PixelLayout,
  ): Promise<T> => {
    alive();
    const side = net === 'rnet' ? 24 : 48;
    const per = side * side * 3;
    checkBatchInput(net, crops, count, side);
    const hwc = toHwc(crops, layout, count, side, side);
    const parts = Math.max(1, Math.min(threads, Math.floor(count / MIN_SPLIT_CROPS)));
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * count) / parts));
    const outs = await Promise.all(
      bounds
        .slice(0, -1)
        .map((a, k) => send<T>({ net, data: hwc.subarray(a * per, bounds[k + 1] * per), count: bounds[k + 1] - a })),
    );
    if (outs.length === 1) return outs[0];
    const merged: Record<string, Float32Array> = {};
    for (const key of Object.keys(outs[0]) as (keyof T)[]) {
      const width = (outs[0][key] as Float32Array).length / (bounds[1] - bounds[0]);
      const all = new Float32Array(count * width);
      outs.forEach((o, k) => {
        all.set(o[key] as Float32Array, bounds[k] * width);
      });
      merged[key as string] = all;
    }
    return merged as unknown as T;
  };

  return {
    name,
    tfBackend: kind,
    threads,
    // Calls run in the threads: the detector prepares the next level / crops meanwhile.
    inFlight: threads + 1,

    async runPNet(
      level: Float32Array,
      height: number,
      width: number,
      layout: PixelLayout = 'hwc',
    ): Promise<PNetOutput> {
      alive();
      checkLevelInput(level, height, width);
      const hwc = toHwc(level, layout, 1, height, width);
      const mapH = pnetOutputSize(height);
      const mapW = pnetOutputSize(width);
      const parts =
        height * width < MIN_SPLIT_PIXELS
          ? 1
          : Math.max(Math.min(threads, mapH), Math.ceil((height * width) / MAX_STRIP_PIXELS));
      // Equal numbers of output rows per strip; strips beyond the thread count wait in the pool's queue.
      const strips = pnetStrips(height, width, mapH, (2 * Math.ceil(mapH / parts) + 10) * width);
      const outs = await Promise.all(
        strips.map((s) =>
          send<PNetOutput>({
            net: 'pnet',
            data: levelRows(hwc, 'hwc', height, width, s.r0, s.rows),
            height: s.rows,
            width,
          }),
        ),
      );
      if (outs.length === 1) return outs[0];
      return mergePNetStrips(strips, outs, mapH, mapW);
    },

    runRNet: (crops: Float32Array, count: number, layout: PixelLayout = 'hwc') =>
      batch<RNetOutput>('rnet', crops, count, layout),
    runONet: (crops: Float32Array, count: number, layout: PixelLayout = 'hwc') =>
      batch<ONetOutput>('onet', crops, count, layout),

    dispose(): void {
      disposed = true;
      void pool.dispose();
    },
  };
}
