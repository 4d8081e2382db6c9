// One onnxruntime-node instance in a worker thread, serving network runs for threads.ts: a
// session run blocks the thread that calls it, so runs here leave the detector's thread free.
import { workerData } from 'node:worker_threads';
import { serveThread } from '@mtcnn/core/backend-kit/node';
import type { MtcnnBackend } from '@mtcnn/core';
import { weightsFromTransfer } from '@mtcnn/models';
import type { OnnxThreadData, OnnxThreadRequest } from './threads.js';

const config = workerData as OnnxThreadData;

await serveThread<MtcnnBackend, OnnxThreadRequest>(
  async () => {
    const { createNodeOnnxBackend } = await import('./node-backend.js');
    return createNodeOnnxBackend({ ...config.options, weights: weightsFromTransfer(config.weights), workers: 0 });
  },
  async (backend, m) => {
    if (m.net === 'pnet') return backend.runPNet(m.data, m.height!, m.width!, m.layout);
    if (m.net === 'rnet') return backend.runRNet(m.data, m.count!, m.layout);
    return backend.runONet(m.data, m.count!, m.layout);
  },
);
