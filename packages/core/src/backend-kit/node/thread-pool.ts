/**
 * A few worker threads serving one backend's network runs (Node). Used by the tfjs backend (tfjs
 * computes on one thread per JavaScript realm) and the ONNX backend (onnxruntime-node runs a
 * session synchronously on the calling thread): with the runs in workers, the detector's own work
 * (resampling, cropping, NMS) overlaps them, and several runs go side by side.
 *
 * Protocol: the pool posts `{ id, request }`; the thread (`serveThread`) answers `{ id, out }` or
 * `{ id, error }`; `{ id: 0, ready, info }` once started, `{ id: -1, error }` if it could not start.
 * `{ id: 0, close: true }` asks a thread to finish the run it has, release its state and exit.
 *
 * Threads are never terminated: stopping a thread inside a native call (an onnxruntime-node
 * session run) aborts the whole process ("terminate called after throwing an instance of
 * 'Napi::Error'"). `dispose()` rejects what waits at once and lets each thread end its one run.
 * An idle pool does not keep the process alive (threads are unref'd while they have no work), so
 * a program that forgets `dispose()` still exits.
 */
import { parentPort, Worker, type ResourceLimits } from 'node:worker_threads';
import { MtcnnError, type MtcnnErrorCode } from '../../errors.js';

export interface ThreadPoolOptions {
  /** The worker module (it calls `serveThread`). */
  url: URL;
  /** Given to every thread as `workerData`. */
  workerData: unknown;
  threads: number;
  /** For error messages, e.g. `onnx`. */
  name: string;
  resourceLimits?: ResourceLimits;
}

export interface ThreadPool {
  readonly size: number;
  /** What the first thread's `serveThread` reported about its state when it started (`info`). */
  readonly info: unknown;
  /**
   * Runs `request` on the next free thread (one request per thread at a time, the rest wait in
   * order: a long run never holds up short ones queued behind it while another thread idles);
   * `transfer` lists buffers moved (not copied) to the thread.
   */
  send<T>(request: unknown, transfer?: ArrayBuffer[]): Promise<T>;
  /**
   * Rejects what is pending with DISPOSED at once; each thread finishes the run it is in, releases
   * its state and exits. Resolves once they all have. Idempotent.
   */
  dispose(): Promise<void>;
}

type WireError = { name?: string; message: string; code?: string };
type ToThread = { id: number; request: unknown } | { id: 0; close: true };
type FromThread =
  | { id: 0; ready: true; info: unknown }
  | { id: number; out: unknown }
  | { id: number; error: WireError };

function errorOf(name: string, e: WireError): Error {
  if (e.code) return new MtcnnError(e.code as MtcnnErrorCode, e.message);
  if (e.name === 'RangeError') return new RangeError(e.message);
  return new MtcnnError('BACKEND_FAILED', `${name}: ${e.message}`);
}

interface Pending {
  resolve(out: unknown): void;
  reject(e: Error): void;
}

interface Thread {
  worker: Worker;
  /** The request it runs (one at a time). */
  busy?: { id: number; pending: Pending };
  exited: Promise<void>;
  dead: boolean;
}

export async function createThreadPool(options: ThreadPoolOptions): Promise<ThreadPool> {
  const { name } = options;
  const threads: Thread[] = [];
  const queue: { request: unknown; transfer: ArrayBuffer[]; pending: Pending }[] = [];
  let nextId = 1;
  let disposed = false;
  let closing: Promise<void> | undefined;
  let info: unknown;
  const disposedError = (): MtcnnError =>
    new MtcnnError('DISPOSED', `The ${name} backend was disposed; create a new one.`);
  const goneError = (): MtcnnError =>
    new MtcnnError('BACKEND_FAILED', `${name}: its threads have exited; create a new backend.`);

  /** Hands queued requests to idle live threads; a thread holds the process open only while busy. */
  const pump = (): void => {
    for (const t of threads) {
      if (t.dead || t.busy) continue;
      const next = queue.shift();
      if (!next) {
        t.worker.unref();
        continue;
      }
      const id = nextId++;
      t.busy = { id, pending: next.pending };
      t.worker.ref();
      t.worker.postMessage({ id, request: next.request } satisfies ToThread, next.transfer);
    }
    if (queue.length > 0 && threads.every((t) => t.dead))
      for (const q of queue.splice(0)) q.pending.reject(goneError());
  };
  const settle = (t: Thread, f: (p: Pending) => void): void => {
    const busy = t.busy;
    t.busy = undefined;
    if (busy) f(busy.pending);
  };
  const close = (t: Thread): void => {
    if (t.dead) return;
    // Referenced until it has exited: a run in progress ends before the process does.
    t.worker.ref();
    t.worker.postMessage({ id: 0, close: true } satisfies ToThread);
  };

  const started = Array.from({ length: options.threads }, () => {
    const worker = new Worker(options.url, { workerData: options.workerData, resourceLimits: options.resourceLimits });
    let onExit!: () => void;
    const t: Thread = { worker, dead: false, exited: new Promise<void>((resolve) => (onExit = resolve)) };
    threads.push(t);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromThread) => {
        if ('ready' in m) {
          info ??= m.info;
          return resolve();
        }
        if (m.id === -1 && 'error' in m)
          return reject(new MtcnnError('BACKEND_FAILED', `A ${name} thread could not start: ${m.error.message}`));
        if (m.id !== t.busy?.id) return;
        settle(t, (p) => ('error' in m ? p.reject(errorOf(name, m.error)) : p.resolve((m as { out: unknown }).out)));
        if (!disposed) pump();
      });
      worker.on('error', (e) => {
        reject(new MtcnnError('BACKEND_FAILED', `A ${name} thread failed: ${e.message}`, { cause: e }));
        settle(t, (p) =>
          p.reject(new MtcnnError('BACKEND_FAILED', `${name}: a thread failed: ${e.message}`, { cause: e })),
        );
      });
      worker.on('exit', (code) => {
        t.dead = true;
        onExit();
        reject(new MtcnnError('BACKEND_FAILED', `A ${name} thread exited (code ${code}) while starting.`));
        if (disposed) return;
        settle(t, (p) =>
          p.reject(new MtcnnError('BACKEND_FAILED', `${name}: a thread exited (code ${code}); create a new backend.`)),
        );
        pump();
      });
    });
  });
  const all = Promise.all(started);
  // The others may still be creating their runtimes: they are asked to close, not stopped.
  all.catch(() => {
    disposed = true;
    threads.forEach(close);
  });
  try {
    await all;
  } catch (e) {
    await Promise.all(threads.map((t) => t.exited));
    throw e;
  }
  pump(); // unrefs the idle threads

  return {
    size: options.threads,
    info,
    send<T>(request: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
      if (disposed) return Promise.reject(disposedError());
      if (threads.every((t) => t.dead)) return Promise.reject(goneError());
      return new Promise<T>((resolve, reject) => {
        queue.push({ request, transfer, pending: { resolve: resolve as (out: unknown) => void, reject } });
        pump();
      });
    },
    dispose(): Promise<void> {
      if (!closing) {
        disposed = true;
        for (const q of queue.splice(0)) q.pending.reject(disposedError());
        for (const t of threads) {
          settle(t, (p) => p.reject(disposedError()));
          close(t);
        }
        closing = Promise.all(threads.map((t) => t.exited)).then(() => undefined);
      }
      return closing;
    },
  };
}

export interface ServeThreadOptions<S> {
  /** What the pool's `info` reports (structured-clonable), from the started state. */
  info?(state: S): unknown;
  /** Releases the state when the pool closes the thread (after its last run). */
  stop?(state: S): unknown;
}

/**
 * The thread side: `start` builds the thread's state (a failure is reported to the pool), then
 * each request goes to `handle`, whose typed-array results are transferred back. On close, the
 * run in progress ends, `stop` releases the state, and the thread exits.
 */
export async function serveThread<S, Req>(
  start: () => Promise<S>,
  handle: (state: S, request: Req) => Promise<object>,
  options: ServeThreadOptions<S> = {},
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveThread runs in a worker thread (see createThreadPool).');
  let state: S;
  try {
    state = await start();
  } catch (e) {
    port.postMessage({ id: -1, error: { message: String(e) } } satisfies FromThread);
    process.exit(1);
  }
  let running: Promise<void> = Promise.resolve();
  port.on('message', (m: ToThread) => {
    if ('close' in m) {
      void running.then(async () => {
        try {
          await options.stop?.(state);
        } finally {
          process.exit(0);
        }
      });
      return;
    }
    running = (async () => {
      try {
        const out = await handle(state, m.request as Req);
        const buffers = Object.values(out)
          .filter((v): v is Float32Array => ArrayBuffer.isView(v))
          .map((a) => a.buffer as ArrayBuffer);
        port.postMessage({ id: m.id, out } satisfies FromThread, [...new Set(buffers)]);
      } catch (e) {
        const err = e as { name?: string; message?: string; code?: string };
        port.postMessage({
          id: m.id,
          error: { name: err.name, message: err.message ?? String(e), code: err.code },
        } satisfies FromThread);
      }
    })();
  });
  port.postMessage({ id: 0, ready: true, info: options.info?.(state) } satisfies FromThread);
}
