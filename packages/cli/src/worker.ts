// One detector in one worker thread: the tfjs-wasm backend computes on a single thread per
// JavaScript realm, so a pool of these is what uses several cores.
import { parentPort, workerData } from 'node:worker_threads';
import { isMtcnnError, type Detector } from '@mtcnn/core';
import { openDetector } from '@mtcnn/backends/node';
import { detectFile } from './detect.js';
import type { FromWorker, ToWorker, WorkerConfig } from './pool.js';

const port = parentPort;
if (!port) throw new Error('worker.js runs as a worker thread (see pool.ts).');
const config = workerData as WorkerConfig;
const send = (m: FromWorker): void => port.postMessage(m);

function failure(e: unknown): { code: string; message: string } {
  if (isMtcnnError(e)) return { code: e.code, message: e.message };
  return { code: 'INTERNAL_ERROR', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

let detector: Detector;
try {
  detector = await openDetector(config.backend, config.detector, config.threads);
} catch (e) {
  send({ type: 'startup-failed', error: failure(e) });
  process.exit(1);
}

port.on('message', (m: ToWorker) => {
  void (async () => {
    const t0 = performance.now();
    try {
      const done = await detectFile(detector, m.file, config);
      send({ type: 'result', index: m.index, entry: done.entry, log: done.log, ms: performance.now() - t0 });
    } catch (e) {
      // The detector itself failed (backend error, or a bug): this image gets the error, and the
      // pool replaces this worker, whose backend may be left in a bad state.
      send({ type: 'image-failed', index: m.index, error: failure(e) });
      process.exit(1);
    }
  })();
});
send({ type: 'ready' });
