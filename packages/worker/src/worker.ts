/**
 * The standard worker: serves a detector on the standard browser backends. Use it from a module
 * worker file of your app (bundlers then bundle it and the runtimes):
 *
 *     // mtcnn.worker.ts
 *     import '@mtcnn/worker/worker';
 */
import { createStandardBackend, type StandardBackendInit } from './backends.js';
import { serveDetector } from './host.js';

serveDetector({ createBackend: (id, init) => createStandardBackend(id, (init ?? {}) as StandardBackendInit) });
