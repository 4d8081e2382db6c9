import {
  MtcnnError,
  type DetectionReport,
  type DetectorOptions,
  type MtcnnErrorCode,
  type ResolvedOptions,
} from '@mtcnn/core';

/**
 * The messages between the page (`createWorkerDetector`) and the worker (`serveDetector`). Every
 * request carries an id; the worker answers each with one `result` or `error` of the same id.
 */

/** Raw pixels as sent to the worker: the buffer is a copy made for the trip, and transferred. */
export interface WirePixels {
  data: Uint8Array | Uint8ClampedArray | Float32Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/** An image on its way to the worker: an `ImageBitmap` (transferred) or raw pixels. */
export type WireImage = ImageBitmap | WirePixels;

export type Request =
  | { type: 'init'; id: number; backend: string; init?: unknown; options: DetectorOptions }
  | { type: 'options'; id: number; options: DetectorOptions }
  | { type: 'detect'; id: number; image: WireImage; trace: boolean; meta?: unknown }
  | { type: 'abort'; id: number; target: number }
  | { type: 'dispose'; id: number };

/** What `detectWithStats` answers through a worker: the detector's report plus the host's extras. */
export interface WorkerDetectionReport extends DetectionReport {
  /** Whatever the worker's `afterDetect` hook returned (e.g. counters), if it has one. */
  extras?: unknown;
}

export type Reply = { type: 'result'; id: number; value: unknown } | { type: 'error'; id: number; error: WireError };

export interface InitResult {
  backend: string;
  options: ResolvedOptions;
}

export interface WireError {
  name: string;
  message: string;
  code?: MtcnnErrorCode;
}

/** Errors cross as plain data; `MtcnnError`s keep their code. */
export function toWireError(e: unknown): WireError {
  if (e instanceof MtcnnError) return { name: e.name, message: e.message, code: e.code };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

export function fromWireError(w: WireError): Error {
  if (w.code) return new MtcnnError(w.code, w.message);
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}
