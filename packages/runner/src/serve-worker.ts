// The worker side of the pool: one backend per thread, detectors on it per option set, one task
// at a time, each abortable.
import { parentPort, workerData } from 'node:worker_threads';
import { createDetector, exactOf, MtcnnError, resolveOptions, type Detector, type MtcnnBackend } from '@mtcnn/core';
import { BACKEND_NAMES, createBackend, isBackendName } from '@mtcnn/backends/node';
import { detectImage, type AfterDetect } from './detect-image.js';
import { entryError } from './entry.js';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';

export interface WorkerHooks {
  /** Runs in the worker after each successful detection (the CLI writes --annotate images here). */
  afterDetect?: AfterDetect;
}

/** Detectors kept per worker for tasks with their own options (the pool's own is always kept). */
const CACHED_DETECTORS = 8;

/**
 * The backend as one of several detectors sees it: every call goes to the worker's one backend,
 * and disposing a detector leaves the backend to the worker.
 */
function borrowed(backend: MtcnnBackend): MtcnnBackend {
  return {
    name: backend.name,
    pixelLayout: backend.pixelLayout,
    inFlight: backend.inFlight,
    runPNet: (level, height, width, layout) => backend.runPNet(level, height, width, layout),
    runRNet: (crops, count, layout) => backend.runRNet(crops, count, layout),
    runONet: (crops, count, layout) => backend.runONet(crops, count, layout),
    dispose: () => {},
    // The backend that decides boxes on a pixel edge (core's edges.ts), left to the worker too.
    ...(exactOf(backend) ? { exact: exactOf(backend) } : {}),
  };
}

/**
 * Serve the pool from this worker thread: opens the configured backend, then runs the tasks the
 * pool sends. Call it from a worker script (the default one is `@mtcnn/runner/worker`; the CLI's
 * adds its --annotate hook).
 */
export async function serveWorker(hooks: WorkerHooks = {}): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveWorker() runs in a worker thread started by the pool (openPool).');
  const config = workerData as WorkerConfig;
  const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

  let backend: MtcnnBackend;
  const detectors = new Map<string, Detector>(); // by resolved options, least recently used first
  let poolKey: string;
  try {
    if (!isBackendName(config.backend))
      throw new MtcnnError(
        'INVALID_OPTION',
        `Unknown backend '${config.backend}'; one of ${BACKEND_NAMES.join(', ')}.`,
      );
    poolKey = JSON.stringify(resolveOptions(config.detector)); // bad options: no backend loaded
    backend = await createBackend(config.backend, { threads: config.threads ?? 1 });
    detectors.set(poolKey, createDetector(borrowed(backend), config.detector));
  } catch (e) {
    send({ type: 'startup-failed', error: entryError(e) });
    process.exit(1);
  }

  const detectorFor = (options: WorkerConfig['detector'] | undefined): Detector => {
    if (!options) return detectors.get(poolKey)!;
    const merged = { ...config.detector, ...options };
    const key = JSON.stringify(resolveOptions(merged));
    let d = detectors.get(key);
    if (d) detectors.delete(key);
    else {
      d = createDetector(borrowed(backend), merged);
      if (detectors.size >= CACHED_DETECTORS) {
        const oldest = [...detectors.keys()].find((k) => k !== poolKey)!;
        detectors.get(oldest)!.dispose(); // its scratch buffers; the backend stays
        detectors.delete(oldest);
      }
    }
    detectors.set(key, d);
    return d;
  };

  const running = new Map<number, AbortController>();
  port.on('message', (m: ToWorker) => {
    if (m.type === 'abort') {
      running.get(m.id)?.abort(new MtcnnError('ABORTED', 'The task was aborted.'));
      return;
    }
    const controller = new AbortController();
    running.set(m.id, controller);
    void (async () => {
      try {
        let detector: Detector;
        try {
          detector = detectorFor(m.spec.options);
        } catch (e) {
          send({ type: 'result', id: m.id, result: { error: entryError(e) } }); // the task's options
          return;
        }
        const result = await detectImage(detector, m.spec, {
          signal: controller.signal,
          afterDetect: hooks.afterDetect,
          extra: config.extra,
          onDecoded: () => send({ type: 'detecting', id: m.id }),
        });
        send(
          { type: 'result', id: m.id, result },
          'report' in result && result.report ? [result.report.buffer as ArrayBuffer] : [],
        );
      } catch (e) {
        // The detector itself failed (backend error, a bug): this task gets the error, and the
        // pool replaces this worker, whose backend may be left in a bad state.
        send({ type: 'fatal', id: m.id, error: entryError(e) });
        process.exit(1);
      } finally {
        running.delete(m.id);
      }
    })();
  });
  send({ type: 'ready', backend: backend.name });
}
