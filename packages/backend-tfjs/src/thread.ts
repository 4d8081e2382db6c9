// One tfjs runtime in a worker thread, serving network runs for threads.ts. tfjs's wasm and cpu
// backends compute on a single thread per JavaScript realm: a few of these use the other cores.
import { workerData } from 'node:worker_threads';
import { serveThread } from '@mtcnn/core/backend-kit/node';
import type { MtcnnBackend } from '@mtcnn/core';
import { weightsFromTransfer } from '@mtcnn/models';
import { createTfjsBackend } from './backend.js';
import type { ThreadData, ThreadRequest } from './threads.js';

const config = workerData as ThreadData;

await serveThread<MtcnnBackend, ThreadRequest>(
  async () => {
    const tf = await import('@tensorflow/tfjs-core');
    if (!tf.findBackendFactory(config.kind)) {
      await (config.kind === 'wasm' ? import('@tensorflow/tfjs-backend-wasm') : import('@tensorflow/tfjs-backend-cpu'));
    }
    if (!(await tf.setBackend(config.kind))) throw new Error(`tf.setBackend('${config.kind}') returned false`);
    await tf.ready();
    return createTfjsBackend({
      tf,
      weights: weightsFromTransfer(config.weights),
      name: `tfjs-${config.kind}`,
      maxBatch: config.maxBatch,
    });
  },
  async (backend, m) => {
    if (m.net === 'pnet') return backend.runPNet(m.data, m.height!, m.width!);
    if (m.net === 'rnet') return backend.runRNet(m.data, m.count!);
    return backend.runONet(m.data, m.count!);
  },
);
