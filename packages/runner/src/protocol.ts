// What the pool (main thread) and a detection worker say to each other.
import type { DetectorOptions } from '@mtcnn/core';
import type { EntryError, ImageEntry } from './entry.js';

/** What every worker is started with (structured-cloned into the thread). */
export interface WorkerConfig {
  /** A backend name of `@mtcnn/backends/node` (`onnx`, `onnx-wasm`, `tfjs-wasm`, `tfjs-cpu`). */
  backend: string;
  /** The detector options of every task (a task may override them). Validated at startup. */
  detector: DetectorOptions;
  /** Cores this worker's backend may use (default 1: a pool of N workers uses N cores). */
  threads?: number;
  /** Free data for the hooks of a custom worker script (`serveWorker`), e.g. the CLI's --annotate directory. */
  extra?: unknown;
}

/** An image: a file path the worker reads, or encoded bytes (JPEG, PNG, ...). */
export type ImageSource = { file: string } | { bytes: Uint8Array };

/** One detection asked of the pool. */
export interface TaskSpec {
  source: ImageSource;
  /** Options over the pool's (`WorkerConfig.detector`) for this image only. Validate them first (`resolveOptions`). */
  options?: DetectorOptions;
  /** Add the stage counts (`stages`) to the entry. */
  stats?: boolean;
  /** Also build the self-contained HTML stage report (detects with the trace on); `name` is shown in it. */
  report?: { name: string };
  /** What the image is called in messages and hooks (e.g. its path). */
  label?: string;
  /**
   * Time limit for this image, in milliseconds, from when a worker starts it: past it the result
   * is the error `TIMEOUT`. It stops decoding too (sharp's own timeout, rounded up to seconds).
   */
  timeoutMs?: number;
  /** Free data for the worker's `afterDetect` hook, for this task only (the CLI: the --annotate file). */
  hookData?: unknown;
}

/** Milliseconds spent on one image: decoding, then the detector's stages (`StageTimings`). */
export interface TaskTimings {
  decode: number;
  pyramid: number;
  pnet: number;
  rnet: number;
  onet: number;
  post: number;
  /** The detector's total (pyramid to O-Net), without decoding. */
  total: number;
}

export interface TaskSuccess {
  entry: ImageEntry;
  timings: TaskTimings;
  /** Lines for the user from the worker's hooks (e.g. the annotated file written). */
  log: string[];
  /** The `afterDetect` hook failed (say an unwritable --annotate directory); the detection stands. */
  afterDetectError?: EntryError;
  /** The HTML report (UTF-8), when `report` was asked for. */
  report?: Uint8Array;
}

/** The image failed (bad input, an abort, a dead worker): the stable code and what to do. */
export interface TaskFailure {
  error: EntryError;
}

export type TaskResult = TaskSuccess | TaskFailure;

export type ToWorker = { type: 'task'; id: number; spec: TaskSpec } | { type: 'abort'; id: number };

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'startup-failed'; error: EntryError }
  /** Decoded: the detector (native network runs) starts. */
  | { type: 'detecting'; id: number }
  | { type: 'result'; id: number; result: TaskResult }
  /** The detector itself failed (backend error, a bug): this task gets the error, then the worker exits. */
  | { type: 'fatal'; id: number; error: EntryError };
