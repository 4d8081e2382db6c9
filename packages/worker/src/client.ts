import {
  MtcnnError,
  type DetectCallOptions,
  type DetectorOptions,
  type Face,
  type ImageInput,
  type ResolvedOptions,
} from '@mtcnn/core';
import {
  fromWireError,
  type InitResult,
  type Reply,
  type Request,
  type WireImage,
  type WirePixels,
  type WorkerDetectionReport,
} from './protocol.js';

/** A request without its id (given when sent). */
type Outgoing = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface WorkerDetectorOptions extends DetectorOptions {
  /**
   * The backend the worker creates, by the name its `createBackend` knows. The standard worker
   * (`@mtcnn/worker/worker`) knows `'tfjs-webgl'`, `'tfjs-wasm'` and `'onnx-wasm'`.
   */
  backend: string;
  /**
   * Passed to the worker's `createBackend` (structured-cloneable). The standard worker needs none
   * (the bundler emits the weights and tfjs's `.wasm` files); `{ assets }` serves them yourself,
   * from the URL under which `weights/` and `tfjs-wasm/` are.
   */
  init?: unknown;
}

export interface WorkerDetectCallOptions extends DetectCallOptions {
  /** Passed to the worker's `beforeDetect` / `afterDetect` hooks (structured-cloneable). */
  meta?: unknown;
}

/**
 * A detector running in a Web Worker, with the main-thread detector's API: the page stays
 * responsive however long a detection takes. Images go in as `ImageBitmap`s (transferred, not
 * copied) or as a copy of raw pixels; faces, counts, timings and the stage trace come back.
 */
export interface WorkerDetector {
  readonly options: Readonly<ResolvedOptions>;
  /** The backend's name in the worker (e.g. `tfjs-webgl`). */
  readonly backendName: string;
  readonly worker: Worker;
  /** Faces in `image`, largest first. An `ImageBitmap` given here is transferred to the worker (closed here). */
  detect(image: ImageInput, call?: WorkerDetectCallOptions): Promise<Face[]>;
  /** Faces plus per-stage counts, timings and (opt-in) the stage trace, plus the worker's extras. */
  detectWithStats(image: ImageInput, call?: WorkerDetectCallOptions): Promise<WorkerDetectionReport>;
  /** New detector options, same backend (its weights stay loaded). Validated in the worker. */
  setOptions(options: DetectorOptions): Promise<void>;
  /** Ends the worker (and the backend in it). Pending calls reject with `DISPOSED`. Idempotent. */
  dispose(): void;
}

function isPixelData(v: object): v is { data: ArrayLike<number>; width: number; height: number; channels?: number } {
  const d = (v as { data?: unknown }).data;
  return (
    (ArrayBuffer.isView(d) || Array.isArray(d)) &&
    typeof (v as { width?: unknown }).width === 'number' &&
    typeof (v as { height?: unknown }).height === 'number'
  );
}

function isTensorLike(v: object): v is { shape: number[]; data(): Promise<ArrayLike<number>> } {
  return Array.isArray((v as { shape?: unknown }).shape) && typeof (v as { data?: unknown }).data === 'function';
}

/** Raw pixels as a fresh buffer we may transfer (the caller keeps theirs). */
function pixels(data: ArrayLike<number>, width: number, height: number, channels?: number): WirePixels {
  const c = channels ?? (width * height > 0 ? data.length / (width * height) : 3);
  if (c !== 1 && c !== 3 && c !== 4) {
    throw new MtcnnError(
      'INVALID_IMAGE',
      `Image data has ${data.length} values for ${width}x${height} pixels; expected 1, 3 or 4 channels.`,
    );
  }
  const copy =
    data instanceof Uint8Array
      ? new Uint8Array(data)
      : data instanceof Uint8ClampedArray
        ? new Uint8ClampedArray(data)
        : Float32Array.from(data);
  return { data: copy, width, height, channels: c };
}

/** Turns any `detect` input into what crosses to the worker, and the buffers to transfer. */
async function toWire(input: ImageInput): Promise<{ image: WireImage; transfer: Transferable[] }> {
  if (input === null || input === undefined)
    throw new MtcnnError('INVALID_IMAGE', `No image given (got ${String(input)}).`);
  if (typeof input === 'string') {
    throw new MtcnnError(
      'UNSUPPORTED_FORMAT',
      'A worker detector does not fetch URLs: pass an <img>, ImageBitmap, Blob bytes or pixels.',
    );
  }
  if (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) return { image: input, transfer: [input] };
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    // Encoded bytes: the browser decodes them (createImageBitmap applies the EXIF orientation).
    const bitmap = await createImageBitmap(new Blob([input as BlobPart]));
    return { image: bitmap, transfer: [bitmap] };
  }
  if (typeof input !== 'object') throw new MtcnnError('INVALID_IMAGE', `Cannot read an image from a ${typeof input}.`);
  if (isPixelData(input)) {
    const p = pixels(input.data, input.width, input.height, input.channels);
    return { image: p, transfer: [p.data.buffer] };
  }
  if (isTensorLike(input)) {
    const [height, width, channels] = input.shape;
    const p = pixels(await input.data(), width, height, channels);
    return { image: p, transfer: [p.data.buffer] };
  }
  // <img>, <canvas>, <video>, OffscreenCanvas, VideoFrame, SVG image: one bitmap of what it shows now.
  try {
    const bitmap = await createImageBitmap(input as ImageBitmapSource);
    return { image: bitmap, transfer: [bitmap] };
  } catch (cause) {
    throw new MtcnnError(
      'INVALID_IMAGE',
      `Cannot read this image source (${(cause as Error).message}); is it loaded?`,
      { cause },
    );
  }
}

/**
 * Starts a detector in `worker` (a module worker running `serveDetector`, e.g.
 * `new Worker(new URL('./mtcnn.worker.js', import.meta.url), { type: 'module' })` whose file is
 * `import '@mtcnn/worker/worker';`). Resolves once the backend and weights are loaded there.
 */
export async function createWorkerDetector(worker: Worker, options: WorkerDetectorOptions): Promise<WorkerDetector> {
  const { backend, init, ...detectorOptions } = options;
  let nextId = 1;
  let disposed = false;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  const failAll = (e: Error): void => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.addEventListener('message', (ev: MessageEvent<Reply>) => {
    const m = ev.data;
    const p = pending.get(m.id);
    if (!p) return; // aborted or disposed meanwhile
    pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.value);
    else p.reject(fromWireError(m.error));
  });
  worker.addEventListener('error', (ev: ErrorEvent) => {
    failAll(
      new MtcnnError(
        'BACKEND_FAILED',
        `The detector's worker failed: ${ev.message ?? 'unknown error'} ` +
          `(is the worker script a module that calls serveDetector?).`,
      ),
    );
  });

  function send<T>(req: Outgoing, transfer: Transferable[] = []): { id: number; done: Promise<T> } {
    if (disposed) throw new MtcnnError('DISPOSED', 'This worker detector was disposed; create a new one.');
    const id = nextId++;
    const done = new Promise<T>((resolve, reject) =>
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject }),
    );
    worker.postMessage({ ...req, id }, transfer);
    return { id, done };
  }

  const ready = await send<InitResult>({ type: 'init', backend, init, options: detectorOptions }).done;
  let resolved = ready.options;

  async function detectWithStats(
    image: ImageInput,
    call: WorkerDetectCallOptions = {},
  ): Promise<WorkerDetectionReport> {
    const aborted = (): MtcnnError =>
      new MtcnnError('ABORTED', 'Detection was aborted by its AbortSignal.', { cause: call.signal?.reason });
    if (call.signal?.aborted) throw aborted();
    const wire = await toWire(image);
    if (call.signal?.aborted) {
      if (!('data' in wire.image)) wire.image.close();
      throw aborted();
    }
    const { id, done } = send<WorkerDetectionReport>(
      { type: 'detect', image: wire.image, trace: call.trace === true, meta: call.meta },
      wire.transfer,
    );
    if (!call.signal) return done;
    const signal = call.signal;
    return new Promise<WorkerDetectionReport>((resolve, reject) => {
      const onAbort = (): void => {
        if (!pending.delete(id)) return;
        if (!disposed) worker.postMessage({ type: 'abort', id: nextId++, target: id } satisfies Request);
        reject(aborted());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  return {
    get options() {
      return resolved;
    },
    backendName: ready.backend,
    worker,
    detectWithStats,
    async detect(image, call) {
      return (await detectWithStats(image, call)).faces;
    },
    async setOptions(next) {
      resolved = (await send<InitResult>({ type: 'options', options: next }).done).options;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      worker.terminate();
      failAll(new MtcnnError('DISPOSED', 'This worker detector was disposed; create a new one.'));
    },
  };
}
