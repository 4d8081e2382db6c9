import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { MtcnnError, resolveOptions, type DetectorOptions } from '@mtcnn/core';
import { checkWorkers } from '@mtcnn/runner';
import { BACKEND_NAMES, isBackendName } from '@mtcnn/backends/node';
import type { FastifyServerOptions } from 'fastify';

export interface ServerOptions {
  /** A backend of `@mtcnn/backends/node`: `onnx` (default), `onnx-wasm`, `tfjs-wasm`, `tfjs-cpu`. */
  backend?: string;
  /** Detection worker threads, each with one detector (one core): default the number of cores; at most 4 per core. */
  workers?: number;
  /** Requests that may wait for a worker; past that the server answers 503 with Retry-After. Default 4 x workers. */
  queueSize?: number;
  /** Longest a request may wait and detect (after its body is read); then it is aborted, 504. Default 30 s. */
  timeoutMs?: number;
  /** Largest request body (the image, or the whole multipart form) in bytes; 413 above. Default 20 MiB. */
  maxBytes?: number;
  /**
   * Detector options of every request (requests may override all but `maxPixels`, the server's
   * bound on image size, checked from the header before decoding; default 100 megapixels).
   */
  detector?: DetectorOptions;
  /** Fastify's logger (pino): default JSON lines at level `info` on stdout; `false` for none. */
  logger?: FastifyServerOptions['logger'];
  /** Each worker thread's limits (default: the runner's, a 2 GB heap). */
  resourceLimits?: ResourceLimits;
}

export type ResolvedServerOptions = Required<Omit<ServerOptions, 'resourceLimits' | 'logger'>> &
  Pick<ServerOptions, 'resourceLimits' | 'logger'>;

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

function invalid(message: string): MtcnnError {
  return new MtcnnError('INVALID_OPTION', message);
}

function wholeNumber(name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(v) || v < min || v > max)
    throw invalid(
      `${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got ${v}.`,
    );
  return v;
}

/** Defaults applied and every option checked; throws `INVALID_OPTION` naming the CLI flag. */
export function resolveServerOptions(o: ServerOptions = {}): ResolvedServerOptions {
  const backend = o.backend ?? 'onnx';
  if (!isBackendName(backend)) throw invalid(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got '${backend}'.`);
  const workers = checkWorkers(o.workers ?? availableParallelism(), '--workers');
  const detector = { ...o.detector };
  resolveOptions(detector); // the defaults of every request must be valid themselves
  return {
    backend,
    workers,
    queueSize: wholeNumber('--queue-size', o.queueSize ?? 4 * workers, 0, 100_000),
    timeoutMs: wholeNumber('--timeout-ms', o.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1),
    maxBytes: wholeNumber('--max-bytes', o.maxBytes ?? DEFAULT_MAX_BYTES, 1, 2 ** 31 - 1),
    detector,
    logger: o.logger ?? true,
    resourceLimits: o.resourceLimits,
  };
}
