import {
  createDetector,
  MtcnnError,
  type Detector,
  type DetectorOptions,
  type MtcnnBackend,
  type PixelData,
} from '@mtcnn/core';
import { toWireError, type InitResult, type Reply, type Request, type WorkerDetectionReport } from './protocol.js';

/** The part of a worker's global scope the host uses. */
export interface WorkerScope {
  addEventListener(type: 'message', listener: (ev: MessageEvent<Request>) => void): void;
  postMessage(message: Reply, transfer?: Transferable[]): void;
}

export interface ServeDetectorOptions {
  /**
   * Creates the backend the page asked for, by name, inside the worker. `init` is the page's
   * `init` option, as sent. Called once per worker detector.
   */
  createBackend(name: string, init: unknown): Promise<MtcnnBackend>;
  /** Runs before each detection with the call's `meta` (e.g. to reset counters). */
  beforeDetect?(backend: MtcnnBackend, meta: unknown): void | Promise<void>;
  /** Runs after each detection; what it returns goes back as the report's `extras`. */
  afterDetect?(backend: MtcnnBackend, meta: unknown): unknown;
  /** Default: the worker's global scope. */
  scope?: WorkerScope;
}

/**
 * The worker's half of `createWorkerDetector`: call it once at the top of a module worker. Runs
 * detections one at a time, in the order they arrive (the hooks see one detection at a time).
 */
export function serveDetector(options: ServeDetectorOptions): void {
  const scope = options.scope ?? (globalThis as unknown as WorkerScope);
  let backend: MtcnnBackend | undefined;
  let detector: Detector | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const controllers = new Map<number, AbortController>();
  /** Detections aborted while still waiting their turn. */
  const abortedEarly = new Set<number>();

  /** A detector on the backend; the old one is dropped undisposed (disposing it would dispose the shared backend). */
  const configure = (o: DetectorOptions): InitResult => {
    detector = createDetector(backend!, o);
    return { backend: backend!.name, options: detector.options };
  };

  async function handle(req: Request): Promise<unknown> {
    switch (req.type) {
      case 'init': {
        if (backend)
          throw new MtcnnError('INVALID_OPTION', 'This worker already serves a detector; use one worker per detector.');
        const created = await options.createBackend(req.backend, req.init);
        backend = created;
        try {
          return configure(req.options);
        } catch (e) {
          backend = undefined;
          created.dispose();
          throw e;
        }
      }
      case 'options':
        if (!backend) throw new MtcnnError('DISPOSED', 'No detector in this worker yet.');
        return configure(req.options);
      case 'detect': {
        if (!detector || !backend) throw new MtcnnError('DISPOSED', 'No detector in this worker yet.');
        const controller = new AbortController();
        if (abortedEarly.delete(req.id)) controller.abort();
        controllers.set(req.id, controller);
        const image = req.image;
        try {
          await options.beforeDetect?.(backend, req.meta);
          const input =
            'data' in image
              ? ({
                  data: image.data,
                  width: image.width,
                  height: image.height,
                  channels: image.channels,
                } satisfies PixelData)
              : image;
          const report: WorkerDetectionReport = await detector.detectWithStats(input, {
            trace: req.trace,
            signal: controller.signal,
          });
          if (options.afterDetect) report.extras = await options.afterDetect(backend, req.meta);
          return report;
        } finally {
          controllers.delete(req.id);
          if (!('data' in image)) image.close();
        }
      }
      case 'abort': {
        const c = controllers.get(req.target);
        if (c) c.abort();
        else abortedEarly.add(req.target);
        return undefined;
      }
      case 'dispose':
        backend?.dispose();
        backend = undefined;
        detector = undefined;
        return undefined;
    }
  }

  scope.addEventListener('message', (ev) => {
    const req = ev.data;
    const reply = (p: Promise<unknown>): void => {
      p.then(
        (value) => scope.postMessage({ type: 'result', id: req.id, value }),
        (e: unknown) => scope.postMessage({ type: 'error', id: req.id, error: toWireError(e) }),
      );
    };
    // Aborts act at once; everything else waits its turn.
    if (req.type === 'abort') {
      reply(handle(req));
      return;
    }
    const run = queue.then(() => handle(req));
    queue = run.catch(() => undefined);
    reply(run);
  });
}
