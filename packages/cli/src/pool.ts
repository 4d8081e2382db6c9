import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DetectorOptions } from '@mtcnn/core';
import type { BackendName } from '@mtcnn/backends/node';
import type { DetectEntry } from './detect.js';

/** What every worker is started with (structured-cloned into the thread). */
export interface WorkerConfig {
  backend: BackendName;
  detector: DetectorOptions;
  stats: boolean;
  annotate?: string;
  autoOrient: boolean;
  /** Cores each worker's backend may use: the machine's cores / the number of workers (>= 1). */
  threads?: number;
}

/**
 * Threads for each worker's backend: 1 (`--jobs N`: N workers, a core each), except when there
 * are fewer images than workers asked for: the workers that run then share the threads of the
 * idle ones, up to the cores (one image on 2 cores with the default `--jobs 2`: 2 threads).
 */
export function threadsPerWorker(requested: number, workers: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.floor(requested / workers)));
}

export type ToWorker = { index: number; file: string };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'startup-failed'; error: { code: string; message: string } }
  | { type: 'result'; index: number; entry: DetectEntry; log: string[]; ms: number }
  | { type: 'image-failed'; index: number; error: { code: string; message: string } };

export interface PoolTask {
  index: number;
  file: string;
}

export interface PoolResult {
  index: number;
  entry: DetectEntry;
  log: string[];
}

export interface PoolOptions {
  jobs: number;
  config: WorkerConfig;
  /** Called once per task, in completion order. */
  onResult: (r: PoolResult) => void;
  /** The worker script; default `defaultWorkerUrl()`. */
  workerUrl?: URL;
}

/**
 * The built worker beside this module. Run from `src/` (vitest executes the TypeScript), this is
 * `dist/worker.js`: Node cannot start a worker from a .ts file, and `pnpm test` builds first.
 */
export function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? '../dist/worker.js' : './worker.js', here);
}

/** A worker could not start (backend or options): every image would fail, so the run stops. */
export class PoolStartupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PoolStartupError';
  }
}

/**
 * Run `tasks` on `jobs` worker threads, each with its own detector, one image in flight per worker.
 * A worker that dies on an image (out of memory, backend failure, a bug) turns that image into an
 * error entry (`WORKER_FAILED`, or the error it reported) and is replaced; the run goes on.
 * Rejects with `PoolStartupError` if a worker cannot start.
 */
export function runPool(tasks: readonly PoolTask[], o: PoolOptions): Promise<void> {
  const workerUrl = o.workerUrl ?? defaultWorkerUrl();
  const queue = [...tasks].reverse(); // pop() takes the next in input order
  let pending = tasks.length;
  const workers = new Set<Worker>();

  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const stopAll = (): void => {
      for (const w of workers) void w.terminate();
      workers.clear();
    };
    const finish = (r: PoolResult): void => {
      pending--;
      try {
        o.onResult(r);
      } catch (e) {
        fail(e as Error); // e.g. the output file cannot be written: stop rather than lose results
        return;
      }
      if (pending === 0) {
        stopAll();
        resolve();
      }
    };
    const fail = (e: Error): void => {
      if (failed) return;
      failed = true;
      stopAll();
      reject(e);
    };

    const spawn = (): void => {
      // onnxruntime-node 1.30 overflows a worker's default 4 MB native stack while creating a
      // session when the process's command line is long (hundreds of file arguments): give
      // workers a large stack (virtual memory, reserved only as used).
      const w = new Worker(workerUrl, { workerData: o.config, resourceLimits: { stackSizeMb: 256 } });
      workers.add(w);
      let current: PoolTask | undefined;
      let settled = false; // this worker's in-flight task got its result
      let started = false;
      const next = (): void => {
        current = queue.pop();
        settled = false;
        if (current) w.postMessage({ index: current.index, file: current.file } satisfies ToWorker);
        else {
          workers.delete(w);
          void w.terminate();
        }
      };
      const imageFailed = (code: string, message: string): void => {
        if (!current || settled) return;
        settled = true;
        const t = current;
        finish({
          index: t.index,
          entry: { file: t.file, error: { code, message } },
          log: [`${t.file}: ${code}: ${message}`],
        });
      };
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          started = true;
          next();
        } else if (m.type === 'startup-failed') {
          fail(new PoolStartupError(m.error.code, m.error.message));
        } else if (m.type === 'result') {
          settled = true;
          finish({ index: m.index, entry: m.entry, log: m.log });
          if (pending > 0) next();
        } else {
          imageFailed(m.error.code, m.error.message);
        }
      });
      w.on('error', (e) => {
        if (!started) fail(new PoolStartupError('WORKER_FAILED', `A detection worker failed to start: ${e.message}`));
        else imageFailed('WORKER_FAILED', `The worker processing this image died: ${e.message}`);
      });
      w.on('exit', (code) => {
        if (!workers.delete(w) || failed) return; // finished, or terminated by us
        if (!started) {
          fail(new PoolStartupError('WORKER_FAILED', `A detection worker exited (code ${code}) before it was ready.`));
          return;
        }
        imageFailed('WORKER_FAILED', `The worker processing this image exited unexpectedly (code ${code}).`);
        if (pending > 0 && queue.length > 0) spawn();
      });
    };

    if (pending === 0) {
      resolve();
      return;
    }
    for (let k = 0; k < Math.max(1, Math.min(o.jobs, tasks.length)); k++) spawn();
  });
}
