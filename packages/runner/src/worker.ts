// The default detection worker of the pool (openPool): see serve-worker.ts.
import { serveWorker } from './serve-worker.js';

await serveWorker();
