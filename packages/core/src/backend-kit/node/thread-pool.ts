/**
 * A few worker threads serving one backend's network runs (Node). Used by the tfjs backend (tfjs
 * computes on one thread per JavaScript realm) and the ONNX backend (onnxruntime-node runs a
 * session synchronously on the calling thread): with the runs in workers, the detector's own work
 * (resampling, cropping, NMS) overlaps them, and several runs go side by side.
 *
 * Protocol: the pool posts `{ id, ...request }`; the thread (`serveThread`) answers
 * `{ id, out }` or `{ id, error }`; `{ id: 0, ready: true }` once started, `{ id: -1, error }` if it
 * could not start.
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
  /**
   * Runs `request` on the next free thread (one request per thread at a time, the rest wait in
   * order: a long run never holds up short ones queued behind it while another thread idles);
   * `transfer` lists buffers moved (not copied) to the thread.
   */
  send<T>(request: object, transfer?: ArrayBuffer[]): Promise<T>;
  /** Rejects what is pending with DISPOSED and terminates the threads (resolving once they have exited). Idempotent. */
  dispose(): Promise<void>;
}

type Reply =
  | { id: number; ready: true }
  | { id: number; out: unknown }
  | { id: number; error: { name?: string; message: string; code?: string } };

function errorOf(name: string, e: { name?: string; message: string; code?: string }): Error {
  if (e.code) return new MtcnnError(e.code as MtcnnErrorCode, e.message);
  if (e.name === 'RangeError') return new RangeError(e.message);
  return new MtcnnError('BACKEND_FAILED', `${name}: ${e.message}`);
}

export async function createThreadPool(options: ThreadPoolOptions): Promise<ThreadPool> {
  const { name } = options;
  interface Pending {
    resolve(out: unknown): void;
    reject(e: Error): void;
  }
  const threads: { worker: Worker; pending: Map<number, Pending>; dead: boolean }[] = [];
  const queue: { request: object; transfer: ArrayBuffer[]; pending: Pending }[] = [];
  /** Hands queued requests to idle live threads. */
  const pump = (): void => {
    for (const t of threads) {
      if (queue.length === 0) return;
      if (t.dead || t.pending.size > 0) continue;
      const { request, transfer, pending } = queue.shift()!;
      const id = nextId++;
      t.pending.set(id, pending);
      t.worker.postMessage({ ...request, id }, transfer);
    }
    if (queue.length > 0 && threads.every((t) => t.dead)) {
      for (const q of queue.splice(0))
        q.pending.reject(new MtcnnError('BACKEND_FAILED', `${name}: its threads have exited; create a new backend.`));
    }
  };
  let nextId = 1;
  let disposed = false;
  let exited: Promise<void> | undefined;
  const fail = (t: (typeof threads)[number], e: Error): void => {
    for (const p of t.pending.values()) p.reject(e);
    t.pending.clear();
  };
  const started = Array.from({ length: options.threads }, () => {
    const worker = new Worker(options.url, { workerData: options.workerData, resourceLimits: options.resourceLimits });
    const t = { worker, pending: new Map<number, Pending>(), dead: false };
    threads.push(t);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: Reply) => {
        if ('ready' in m) return resolve();
        if (m.id === -1 && 'error' in m)
          return reject(new MtcnnError('BACKEND_FAILED', `A ${name} thread could not start: ${m.error.message}`));
        const p = t.pending.get(m.id);
        if (!p) return;
        t.pending.delete(m.id);
        if ('error' in m) p.reject(errorOf(name, m.error));
        else p.resolve((m as { out: unknown }).out);
        pump();
      });
      worker.on('error', (e) => {
        reject(new MtcnnError('BACKEND_FAILED', `A ${name} thread failed: ${e.message}`, { cause: e }));
        fail(t, new MtcnnError('BACKEND_FAILED', `${name}: a thread failed: ${e.message}`, { cause: e }));
      });
      worker.on('exit', (code) => {
        t.dead = true;
        if (!disposed) {
          fail(t, new MtcnnError('BACKEND_FAILED', `${name}: a thread exited (code ${code}); create a new backend.`));
          pump();
        }
      });
    });
  });
  try {
    await Promise.all(started);
  } catch (e) {
    await Promise.all(threads.map((t) => t.worker.terminate()));
    throw e;
  }
  return {
    size: options.threads,
    send<T>(request: object, transfer: ArrayBuffer[] = []): Promise<T> {
      if (disposed)
        return Promise.reject(new MtcnnError('DISPOSED', `The ${name} backend was disposed; create a new one.`));
      if (threads.every((t) => t.dead))
        return Promise.reject(
          new MtcnnError('BACKEND_FAILED', `${name}: its threads have exited; create a new backend.`),
        );
      return new Promise<T>((resolve, reject) => {
        queue.push({ request, transfer, pending: { resolve: resolve as (out: unknown) => void, reject } });
        pump();
      });
    },
    dispose(): Promise<void> {
      if (!disposed) {
        disposed = true;
        const gone = new MtcnnError('DISPOSED', `The ${name} backend was disposed; create a new one.`);
        for (const t of threads) fail(t, gone);
        for (const q of queue.splice(0)) q.pending.reject(gone);
        exited = Promise.all(threads.map((t) => t.worker.terminate())).then(() => undefined);
      }
      return exited!;
    },
  };
}

/**
 * The thread side: `start` builds the thread's state (a failure is reported to the pool), then
 * each request goes to `handle`, whose typed-array results are transferred back.
 */
export async function serveThread<S, Req extends object>(
  start: () => Promise<S>,
  handle: (state: S, request: Req) => Promise<object>,
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveThread runs in a worker thread (see createThreadPool).');
  let state: S;
  try {
    state = await start();
  } catch (e) {
    port.postMessage({ id: -1, error: { message: String(e) } } satisfies Reply);
    process.exit(1);
  }
  port.on('message', (m: Req & { id: number }) => {
    void (async () => {
      try {
        const out = await handle(state, m);
        const buffers = Object.values(out)
          .filter((v): v is Float32Array => ArrayBuffer.isView(v))
          .map((a) => a.buffer as ArrayBuffer);
        port.postMessage({ id: m.id, out } satisfies Reply, [...new Set(buffers)]);
      } catch (e) {
        const err = e as { name?: string; message?: string; code?: string };
        port.postMessage({
          id: m.id,
          error: { name: err.name, message: err.message ?? String(e), code: err.code },
        } satisfies Reply);
      }
    })();
  });
  port.postMessage({ id: 0, ready: true } satisfies Reply);
}
