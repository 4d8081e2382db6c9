/**
 * The ONNX backend with its sessions in worker threads (Node). onnxruntime-node runs a session
 * synchronously on the calling thread, so in-process the detector's own work (resampling, crops,
 * NMS) and the networks take turns. Here each worker thread holds its own sessions; the detector
 * keeps `workers + 1` calls in flight (`inFlight`) and prepares the next level or crop batch while
 * earlier ones run. Each call runs whole on one thread, through the same graphs and kernels as
 * in-process, so the faces are the same.
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
} from '@mtcnn/core/backend-kit';
import { weightsTransfer, type MtcnnWeights, type WeightsTransfer } from '@mtcnn/models';
import type { OnnxBackend } from './backend.js';
import type { NodeOnnxBackendOptions } from './node-backend.js';

export interface OnnxThreadData {
  weights: WeightsTransfer;
  /** Options of the backend each thread creates (onnxruntime-node). */
  options: Omit<NodeOnnxBackendOptions, 'weights' | 'weightsDir' | 'runtime' | 'workers'>;
}

export interface OnnxThreadRequest {
  net: 'pnet' | 'rnet' | 'onet';
  data: Float32Array;
  layout: PixelLayout;
  height?: number;
  width?: number;
  count?: number;
}

/** P-Net levels of at least this many pixels are split between the threads. */
const SPLIT_PIXELS = 262_144;

/** The built worker beside this module (from src/ under vitest: dist/thread.js). */
function threadUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? '../dist/thread.js' : './thread.js', here);
}

export async function createThreadedOnnxBackend(options: {
  weights: MtcnnWeights;
  workers: number;
  thread: OnnxThreadData['options'];
}): Promise<OnnxBackend & { readonly workers: number }> {
  const name = 'onnx';
  const pool = await createThreadPool({
    url: threadUrl(),
    workerData: { weights: weightsTransfer(options.weights), options: options.thread } satisfies OnnxThreadData,
    threads: options.workers,
    name,
    // onnxruntime-node 1.30 overflows a worker's default native stack creating a session when the
    // process command line is long (found with `mtcnn detect` on hundreds of files).
    resourceLimits: { stackSizeMb: 256 },
  });
  let disposed = false;
  const alive = (): void => {
    if (disposed) throw new MtcnnError('DISPOSED', `The ${name} backend was disposed; create a new one.`);
  };
  /** Inputs are the caller's again when the call settles: each thread gets a copy (unless `owned`). */
  const send = <T>(req: OnnxThreadRequest, owned = false): Promise<T> => {
    const data = owned ? req.data : req.data.slice();
    return pool.send<T>({ ...req, data }, [data.buffer as ArrayBuffer]);
  };
  return {
    name,
    inputLayout: 'nchw',
    pixelLayout: 'chw',
    workers: options.workers,
    inFlight: options.workers + 1,
    async runPNet(
      level: Float32Array,
      height: number,
      width: number,
      layout: PixelLayout = 'hwc',
    ): Promise<PNetOutput> {
      alive();
      checkLevelInput(level, height, width);
      const mapH = pnetOutputSize(height);
      const mapW = pnetOutputSize(width);
      // A large level (the first one or two of a big image) would keep one thread busy while the
      // others wait for the next stage: it goes in horizontal strips, one per thread (strips.ts;
      // the runtime gives each output row the same values whole or in strips).
      const parts = height * width >= SPLIT_PIXELS ? Math.min(options.workers, mapH) : 1;
      if (parts === 1) return send<PNetOutput>({ net: 'pnet', data: level, layout, height, width });
      const strips = pnetStrips(height, width, mapH, (2 * Math.ceil(mapH / parts) + 10) * width);
      const outs = await Promise.all(
        strips.map((st) => {
          const rows = levelRows(level, layout, height, width, st.r0, st.rows);
          return send<PNetOutput>(
            { net: 'pnet', data: rows, layout, height: st.rows, width },
            rows.buffer !== level.buffer,
          );
        }),
      );
      return mergePNetStrips(strips, outs, mapH, mapW);
    },
    async runRNet(crops: Float32Array, count: number, layout: PixelLayout = 'hwc'): Promise<RNetOutput> {
      alive();
      checkBatchInput('rnet', crops, count, 24);
      return send<RNetOutput>({ net: 'rnet', data: crops, layout, count });
    },
    async runONet(crops: Float32Array, count: number, layout: PixelLayout = 'hwc'): Promise<ONetOutput> {
      alive();
      checkBatchInput('onet', crops, count, 48);
      return send<ONetOutput>({ net: 'onet', data: crops, layout, count });
    },
    dispose(): void {
      disposed = true;
      void pool.dispose();
    },
    disposeAsync(): Promise<void> {
      disposed = true;
      return pool.dispose();
    },
  };
}
