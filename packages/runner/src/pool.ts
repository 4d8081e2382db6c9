import { Worker, type ResourceLimits } from 'node:worker_threads';
import { MtcnnError, type DetectorOptions, type MtcnnErrorCode } from '@mtcnn/core';
import type { EntryError } from './entry.js';
import { checkWorkers } from './limits.js';
import type { FromWorker, TaskResult, TaskSpec, ToWorker, WorkerConfig } from './protocol.js';

export interface PoolOptions {
  /** Worker threads, each with its own backend and detector: 1 to `maxWorkers()`. */
  workers: number;
  /** A backend name of `@mtcnn/backends/node`. */
  backend: string;
  /** Detector options of every task (tasks may override them). Validated at startup. */
  detector?: DetectorOptions;
  /** Cores each worker's backend may use; default 1. */
  threads?: number;
  /**
   * Tasks that may wait for a worker; past that, `submit` rejects with `QUEUE_FULL` at once.
   * Default: no bound (a batch submits through `runTasks`, which keeps the queue short itself).
   */
  queueSize?: number;
  /** Each worker thread's limits; default `DEFAULT_RESOURCE_LIMITS`. */
  resourceLimits?: ResourceLimits;
  /**
   * After an abort, how long a worker may take to notice it (at the core's next checkpoint)
   * before it is stopped and replaced; default 10 s.
   */
  abortGraceMs?: number;
  /** The worker script (a module that calls `serveWorker`); default `defaultWorkerUrl()`. */
  workerUrl?: URL;
  /** Given to the worker script's hooks (structured-cloned). */
  extra?: unknown;
}

/**
 * The heap of a worker is bounded, so that an image that needs too much memory (a huge image with
 * a threshold of 0) kills its worker (`WORKER_FAILED`, replaced) instead of the whole process.
 * Pixels and network buffers are typed arrays, outside this heap. The large stack is for
 * onnxruntime-node 1.30, which overflows a worker's default 4 MB native stack while creating a
 * session when the process's command line is long (virtual memory, reserved only as used).
 */
export const DEFAULT_RESOURCE_LIMITS: Readonly<ResourceLimits> = { maxOldGenerationSizeMb: 2048, stackSizeMb: 256 };

export interface PoolStats {
  /** Worker threads running (a replacement counts once it is started). */
  workers: number;
  /** Workers with a task (including one still stopping after its task was aborted). */
  busy: number;
  /** Tasks waiting for a worker. */
  queued: number;
  /** The bound on `queued` (`Infinity` when none). */
  queueSize: number;
  /** Workers that died and were replaced since the pool opened. */
  replaced: number;
}

export interface SubmitOptions {
  /** Aborts the task: a waiting task leaves the queue, a running one stops at the detector's next checkpoint. */
  signal?: AbortSignal;
}

/**
 * The built worker beside this module. Run from `src/` (vitest executes the TypeScript), this is
 * `dist/worker.js`: Node cannot start a worker from a .ts file, and `pnpm test` builds first.
 */
export function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? '../dist/worker.js' : './worker.js', here);
}

interface Job {
  id: number;
  spec: TaskSpec;
  resolve: (r: TaskResult) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  done: boolean;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The task this worker runs; kept after an abort settled it, until the worker reports back. */
  job?: Job;
  /** The worker said it is exiting (its detector failed): give it nothing more. */
  exiting: boolean;
  /** Its task is past decoding: network runs may be in flight (see `stopSlot`). */
  detecting: boolean;
  abortTimer?: NodeJS.Timeout;
  /** Called when the worker next has no task (or exits). */
  whenIdle?: () => void;
  error?: Error;
}

const fail = (code: string, message: string): TaskResult => ({ error: { code, message } });

/** A startup failure reported by a worker, as the pool's error. */
function startupError(e: EntryError): MtcnnError {
  const code: MtcnnErrorCode = e.code === 'INVALID_OPTION' || e.code === 'BACKEND_FAILED' ? e.code : 'WORKER_FAILED';
  return new MtcnnError(code, `A detection worker could not start: ${e.code}: ${e.message}`);
}

/**
 * Detectors in worker threads, never on the caller's event loop. Each of N workers has one backend
 * (and a detector per option set on it) and runs one task at a time; tasks wait in one FIFO
 * queue, bounded by `queueSize`. A worker that dies for any reason (out of memory, a crash, a
 * failed backend) turns its task into a `WORKER_FAILED` result (or the error it reported) and is
 * replaced; the other tasks go on. Open with `openPool` (resolves once every worker is ready).
 */
export class DetectorPool {
  readonly size: number;
  /** The backend's own name, as the workers report it (e.g. `onnx`). */
  backendName = '';
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private readonly config: WorkerConfig;
  private readonly workerUrl: URL;
  private readonly limits: ResourceLimits;
  private readonly queueSize: number;
  private readonly abortGraceMs: number;
  private nextId = 1;
  private replaced = 0;
  private closing?: Promise<void>;
  private drained?: () => void;
  private disposed = false;
  private broken?: MtcnnError;
  private starting?: { pending: number; resolve: () => void; reject: (e: Error) => void };

  private constructor(o: PoolOptions) {
    this.size = checkWorkers(o.workers, 'workers');
    const queueSize = o.queueSize ?? Number.POSITIVE_INFINITY;
    if (!(queueSize >= 0) || (Number.isFinite(queueSize) && !Number.isInteger(queueSize)))
      throw new MtcnnError('INVALID_OPTION', `queueSize must be a whole number >= 0, got ${o.queueSize}.`);
    this.queueSize = queueSize;
    this.abortGraceMs = o.abortGraceMs ?? 10_000;
    this.config = { backend: o.backend, detector: o.detector ?? {}, threads: o.threads, extra: o.extra };
    this.workerUrl = o.workerUrl ?? defaultWorkerUrl();
    this.limits = { ...DEFAULT_RESOURCE_LIMITS, ...o.resourceLimits };
  }

  /** Starts the workers; resolves when all are ready, rejects (and stops them) if one cannot start. */
  static async open(o: PoolOptions): Promise<DetectorPool> {
    const pool = new DetectorPool(o);
    try {
      await new Promise<void>((resolve, reject) => {
        pool.starting = { pending: pool.size, resolve, reject };
        for (let k = 0; k < pool.size; k++) pool.spawn();
      });
    } catch (e) {
      await pool.dispose();
      throw e;
    } finally {
      pool.starting = undefined;
    }
    return pool;
  }

  stats(): PoolStats {
    let busy = 0;
    for (const s of this.slots) if (s.job) busy++;
    return {
      workers: this.slots.size,
      busy,
      queued: this.queue.length,
      queueSize: this.queueSize,
      replaced: this.replaced,
    };
  }

  /** Whether `submit` would refuse a task now (queue full, closing, or broken). */
  get accepting(): boolean {
    if (this.closing || this.disposed || this.broken) return false;
    return this.queue.length < this.queueSize || this.idleSlot() !== undefined;
  }

  /**
   * Run one detection. Resolves with the entry, or with the image's error (bad input `DECODE_FAILED`
   * ..., `ABORTED`, `WORKER_FAILED`); rejects only when the pool refuses the task: `QUEUE_FULL`,
   * or `DISPOSED` once the pool is closing.
   */
  submit(spec: TaskSpec, o: SubmitOptions = {}): Promise<TaskResult> {
    if (this.disposed || this.closing)
      return Promise.reject(new MtcnnError('DISPOSED', 'The detector pool is closed; it takes no new task.'));
    if (this.broken) return Promise.reject(this.broken);
    if (this.queue.length >= this.queueSize && this.idleSlot() === undefined)
      return Promise.reject(
        new MtcnnError(
          'QUEUE_FULL',
          `All ${this.size} workers are busy and ${this.queue.length} tasks wait; try again later.`,
        ),
      );
    if (o.signal?.aborted) return Promise.resolve(fail('ABORTED', 'The task was aborted before it started.'));
    return new Promise<TaskResult>((resolve) => {
      const job: Job = { id: this.nextId++, spec: { ...spec, source: ownBytes(spec.source) }, resolve, done: false };
      if (o.signal) {
        job.signal = o.signal;
        job.onAbort = () => this.abort(job);
        o.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stops taking tasks, finishes the queued and running ones, then stops the workers. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.drained = resolve;
      this.checkDrained();
    }).then(() => this.terminateAll());
    return this.closing;
  }

  /** Stops the workers now; queued and running tasks resolve with `DISPOSED`. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const message = 'The detector pool was disposed before this task finished.';
    for (const job of this.queue.splice(0)) this.settle(job, fail('DISPOSED', message));
    const slots = [...this.slots];
    this.slots.clear(); // their exits are then ours, not deaths to replace
    await Promise.all(
      slots.map(async (s) => {
        clearTimeout(s.abortTimer);
        if (s.job) {
          this.settle(s.job, fail('DISPOSED', message));
          if (s.detecting) {
            // Stopping a thread while onnxruntime-node runs a network in it aborts the whole
            // process (a native exception): let the detector stop at its next checkpoint first.
            s.worker.postMessage({ type: 'abort', id: s.job.id } satisfies ToWorker);
            await new Promise<void>((resolve) => {
              s.whenIdle = resolve;
            });
          }
        }
        await s.worker.terminate();
      }),
    );
    this.drained?.();
  }

  private idleSlot(): Slot | undefined {
    for (const s of this.slots) if (s.ready && !s.job && !s.exiting) return s;
    return undefined;
  }

  private async terminateAll(): Promise<void> {
    const slots = [...this.slots];
    this.slots.clear(); // their exits are then ours, not deaths to replace
    for (const s of slots) clearTimeout(s.abortTimer);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private settle(job: Job, result: TaskResult): void {
    if (job.done) return;
    job.done = true;
    if (job.onAbort) job.signal!.removeEventListener('abort', job.onAbort);
    job.resolve(result);
  }

  private abort(job: Job): void {
    if (job.done) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, fail('ABORTED', 'The task was aborted while it waited for a worker.'));
      this.checkDrained();
      return;
    }
    const slot = [...this.slots].find((s) => s.job === job);
    // Answer now; the worker stops at the detector's next checkpoint and reports, or is replaced.
    this.settle(job, fail('ABORTED', 'The task was aborted while it ran.'));
    if (!slot) return;
    slot.worker.postMessage({ type: 'abort', id: job.id } satisfies ToWorker);
    slot.abortTimer = setTimeout(() => {
      // Still decoding (a decompression bomb, say): stop the thread (its exit replaces it). In the
      // detector, never (see dispose): it stops at its next checkpoint, between network runs.
      if (slot.job === job && this.slots.has(slot) && !slot.detecting) void slot.worker.terminate();
    }, this.abortGraceMs);
    slot.abortTimer.unref();
  }

  private dispatch(): void {
    for (;;) {
      if (this.queue.length === 0) return;
      const slot = this.idleSlot();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref(); // a running task keeps the process alive; idle workers do not
      slot.worker.postMessage({ type: 'task', id: job.id, spec: job.spec } satisfies ToWorker);
    }
  }

  private checkDrained(): void {
    if (!this.drained || this.queue.length > 0) return;
    for (const s of this.slots) if (s.job) return;
    this.drained();
  }

  private finishTask(slot: Slot): void {
    clearTimeout(slot.abortTimer);
    slot.job = undefined;
    slot.detecting = false;
    slot.whenIdle?.();
    if (!slot.exiting) slot.worker.unref();
    this.dispatch();
    this.checkDrained();
  }

  private spawn(): void {
    const worker = new Worker(this.workerUrl, {
      workerData: this.config,
      resourceLimits: this.limits,
      // A worker inherits the process's flags; `node --input-type=module -e ...` would stop it.
      execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')),
    });
    const slot: Slot = { worker, ready: false, exiting: false, detecting: false };
    this.slots.add(slot);
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        slot.ready = true;
        this.backendName = m.backend;
        if (this.starting && --this.starting.pending === 0) this.starting.resolve();
        worker.unref();
        this.dispatch();
      } else if (m.type === 'startup-failed') {
        slot.exiting = true;
        this.startupFailed(startupError(m.error));
      } else if (m.type === 'detecting') {
        if (slot.job?.id === m.id) slot.detecting = true;
      } else if (m.type === 'result') {
        if (slot.job?.id !== m.id) return;
        this.settle(slot.job, m.result);
        this.finishTask(slot);
      } else if (m.type === 'fatal') {
        slot.exiting = true; // it exits next; the exit replaces it
        if (slot.job?.id === m.id) this.settle(slot.job, { error: m.error });
      }
    });
    worker.on('error', (e) => {
      slot.error = e; // the exit follows
    });
    worker.on('exit', (code) => {
      clearTimeout(slot.abortTimer);
      slot.whenIdle?.();
      if (!this.slots.delete(slot)) return; // stopped by us
      const why = slot.error ? `${slot.error.message}` : `exited with code ${code}`;
      if (slot.job && !slot.job.done)
        this.settle(slot.job, fail('WORKER_FAILED', `The worker detecting this image died (${why}); it was replaced.`));
      slot.job = undefined;
      if (!slot.ready) {
        this.startupFailed(new MtcnnError('WORKER_FAILED', `A detection worker died before it was ready (${why}).`));
        return;
      }
      if (!this.disposed && !this.broken) {
        this.replaced++;
        this.spawn();
      }
      this.dispatch();
      this.checkDrained();
    });
  }

  /** A worker could not start: fatal at open; later (a replacement), the pool stops taking tasks. */
  private startupFailed(e: MtcnnError): void {
    if (this.starting) {
      this.starting.reject(e);
      return;
    }
    if (this.broken) return;
    this.broken = e;
    for (const job of this.queue.splice(0)) this.settle(job, { error: { code: e.code, message: e.message } });
    this.checkDrained();
  }
}

/** Open a pool of detection workers (`DetectorPool`); rejects if a worker cannot start. */
export function openPool(o: PoolOptions): Promise<DetectorPool> {
  return DetectorPool.open(o);
}

/**
 * Bytes are structured-cloned into the worker with their whole ArrayBuffer: a view into a larger
 * buffer is copied out first, so that only the image travels.
 */
function ownBytes(source: TaskSpec['source']): TaskSpec['source'] {
  if (!('bytes' in source)) return source;
  const b = source.bytes;
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? source : { bytes: b.slice() };
}
