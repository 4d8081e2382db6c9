/**
 * Any backend on a few worker threads (Node): each thread creates the backend itself (from a
 * module and an exported factory), and this proxy sends it the network runs. The detector keeps
 * `threads + 1` calls in flight (`inFlight`) and resamples the next level or crops the next batch
 * while earlier calls run. Large P-Net levels go in horizontal strips and large R-Net / O-Net
 * batches in contiguous parts, one per thread, when the backend asks for it (`split`); each output
 * row / crop gets the arithmetic it gets in one piece, so the faces are those of one thread.
 *
 * The proxy reports the thread backend's own `name`, `pixelLayout` and other plain properties
 * (e.g. the ONNX backend's `inputLayout`), so the detector resamples into the layout the threads
 * run on without a copy.
 */
import type { ResourceLimits } from 'node:worker_threads';
import {
  checkBatchInput,
  checkLevelInput,
  pnetOutputSize,
  type MtcnnBackend,
  type ONetOutput,
  type PixelLayout,
  type PNetOutput,
  type RNetOutput,
  wholeNumberOption,
} from '../../backend.js';
import { MtcnnError } from '../../errors.js';
import { levelRows, mergePNetStrips, pnetStrips } from '../../strips.js';
import { createThreadPool } from './thread-pool.js';

export interface ThreadedBackendOptions {
  /**
   * The module each thread imports to create its backend: it exports `factory`. Give the built
   * JavaScript file (`builtModule(import.meta.url, 'x.js')` finds it from TypeScript sources too).
   */
  module: URL;
  /** The export of `module` that creates the backend: `(options) => Promise<MtcnnBackend>`. */
  factory: string;
  /** Passed to `factory` in each thread (structured-clonable; typed arrays are copied). */
  options: unknown;
  threads: number;
  /** For error messages until the threads report their backend's name. */
  name: string;
  resourceLimits?: ResourceLimits;
  split?: {
    /** How many strips a `height` x `width` P-Net level goes in (default 1: whole, on one thread). */
    pnet?(height: number, width: number, threads: number): number;
    /**
     * R-Net / O-Net batches are split between the threads in parts of at least this many crops (default: not split).
     */
    minCrops?: number;
  };
}

/** A threaded backend: the thread backend's plain properties, `threads`, and `disposeAsync`. */
export interface ThreadedBackend extends MtcnnBackend {
  readonly threads: number;
  readonly inFlight: number;
  /** `dispose()`, resolving once every thread has finished its run, released its backend and exited. */
  disposeAsync(): Promise<void>;
}

/** What a thread sends with each run, and the plain properties its backend reports once started. */
export interface ThreadRun {
  net: 'pnet' | 'rnet' | 'onet';
  data: Float32Array;
  layout: PixelLayout;
  height?: number;
  width?: number;
  count?: number;
}

/** The configuration `backend-thread.ts` gets as `workerData`. */
export interface BackendThreadData {
  module: string;
  factory: string;
  options: unknown;
}

/**
 * The built `.js` file `name` beside the module at `moduleUrl`: itself when running built, and
 * `dist/<name>` when running from `src/*.ts` (tests): worker threads load built JavaScript only.
 */
export function builtModule(moduleUrl: string, name: string): URL {
  return new URL(moduleUrl.endsWith('.ts') ? `../dist/${name}` : `./${name}`, moduleUrl);
}

/** The generic thread beside this module (core's own tests run src/: the built one then). */
function threadUrl(): URL {
  const here = import.meta.url;
  return new URL(
    here.endsWith('.ts') ? '../../../dist/backend-kit/node/backend-thread.js' : './backend-thread.js',
    here,
  );
}

export async function createThreadedBackend(options: ThreadedBackendOptions): Promise<ThreadedBackend> {
  const threads = wholeNumberOption('threads', options.threads, 1);
  const pool = await createThreadPool({
    url: threadUrl(),
    workerData: {
      module: options.module.href,
      factory: options.factory,
      options: options.options,
    } satisfies BackendThreadData,
    threads,
    name: options.name,
    resourceLimits: options.resourceLimits,
  });
  const info = pool.info as { name: string; pixelLayout?: PixelLayout } & Record<string, unknown>;
  const name = info.name;
  let disposed = false;
  const alive = (): void => {
    if (disposed) throw new MtcnnError('DISPOSED', `The ${name} backend was disposed; create a new one.`);
  };
  /** Inputs are the caller's again when the call settles: a thread gets its own copy (unless `owned`). */
  const send = <T>(run: ThreadRun, owned = false): Promise<T> => {
    const data = owned ? run.data : run.data.slice();
    return pool.send<T>({ ...run, data }, [data.buffer as ArrayBuffer]);
  };

  /** `count` crops in contiguous parts, one per thread, and the outputs concatenated. */
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
    const min = options.split?.minCrops;
    const parts = min ? Math.max(1, Math.min(threads, Math.floor(count / min))) : 1;
    if (parts === 1) return send<T>({ net, data: crops, layout, count });
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * count) / parts));
    const outs = await Promise.all(
      bounds.slice(0, -1).map((a, k) => {
        const n = bounds[k + 1] - a;
        return send<T>({ net, data: crops.slice(a * per, (a + n) * per), layout, count: n }, true);
      }),
    );
    const merged: Record<string, Float32Array> = {};
    for (const key of Object.keys(outs[0]) as (keyof T & string)[]) {
      const width = (outs[0][key] as Float32Array).length / (bounds[1] - bounds[0]);
      const all = new Float32Array(count * width);
      outs.forEach((o, k) => {
        all.set(o[key] as Float32Array, bounds[k] * width);
      });
      merged[key] = all;
    }
    return merged as unknown as T;
  };

  return {
    ...info,
    name,
    threads,
    inFlight: threads + 1,
    async runPNet(level: Float32Array, height: number, width: number, layout: PixelLayout = 'hwc') {
      alive();
      checkLevelInput(level, height, width);
      const mapH = pnetOutputSize(height);
      const mapW = pnetOutputSize(width);
      const parts = Math.min(mapH, Math.max(1, Math.floor(options.split?.pnet?.(height, width, threads) ?? 1)));
      if (parts === 1) return send<PNetOutput>({ net: 'pnet', data: level, layout, height, width });
      // Equal numbers of output rows per strip; strips beyond the thread count wait in the pool's queue.
      const strips = pnetStrips(height, width, mapH, (2 * Math.ceil(mapH / parts) + 10) * width);
      const outs = await Promise.all(
        strips.map((s) => {
          const rows = levelRows(level, layout, height, width, s.r0, s.rows);
          const owned = rows.buffer !== level.buffer;
          return send<PNetOutput>({ net: 'pnet', data: rows, layout, height: s.rows, width }, owned);
        }),
      );
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
    disposeAsync(): Promise<void> {
      disposed = true;
      return pool.dispose();
    },
  };
}
