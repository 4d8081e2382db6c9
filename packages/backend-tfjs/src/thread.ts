// One tfjs runtime in a worker thread, serving network runs for threads.ts. tfjs's wasm and cpu
// backends compute on a single thread per JavaScript realm: a few of these use the other cores.
import { parentPort, workerData } from 'node:worker_threads';
import type { MtcnnBackend } from '@mtcnn/core';
import type { MtcnnWeights, TensorName, WeightTensor } from '@mtcnn/models';
import { createTfjsBackend } from './backend.js';
import type { ThreadData, ThreadReply, ThreadRequest } from './threads.js';

const port = parentPort;
if (!port) throw new Error('thread.js runs as a worker thread (see threads.ts).');
const config = workerData as ThreadData;

/** The weights as sent by the main thread (already verified there). */
function weightsFrom(tensors: ThreadData['tensors'], sha256: string): MtcnnWeights {
  const byName = new Map<string, WeightTensor>(tensors.map((t) => [t.name, t]));
  return {
    names: tensors.map((t) => t.name),
    sha256,
    byteLength: tensors.reduce((n, t) => n + t.data.byteLength, 0),
    has: (name: string): name is TensorName => byName.has(name),
    get(name: TensorName): WeightTensor {
      const t = byName.get(name);
      if (!t) throw new Error(`no weight tensor ${name}`);
      return t;
    },
  };
}

let backend: MtcnnBackend;
try {
  const tf = await import('@tensorflow/tfjs-core');
  if (!tf.findBackendFactory(config.kind)) {
    await (config.kind === 'wasm' ? import('@tensorflow/tfjs-backend-wasm') : import('@tensorflow/tfjs-backend-cpu'));
  }
  if (!(await tf.setBackend(config.kind))) throw new Error(`tf.setBackend('${config.kind}') returned false`);
  await tf.ready();
  backend = createTfjsBackend({ tf, weights: weightsFrom(config.tensors, config.sha256), name: `tfjs-${config.kind}`, maxBatch: config.maxBatch });
} catch (e) {
  port.postMessage({ id: -1, error: { message: String(e) } } satisfies ThreadReply);
  process.exit(1);
}

port.on('message', (m: ThreadRequest) => {
  void (async () => {
    try {
      const out =
        m.net === 'pnet'
          ? await backend.runPNet(m.data, m.height!, m.width!)
          : m.net === 'rnet'
            ? await backend.runRNet(m.data, m.count!)
            : await backend.runONet(m.data, m.count!);
      const arrays = Object.values(out).filter((v): v is Float32Array => v instanceof Float32Array);
      port.postMessage({ id: m.id, out } satisfies ThreadReply, arrays.map((a) => a.buffer as ArrayBuffer));
    } catch (e) {
      const err = e as { name?: string; message?: string; code?: string };
      port.postMessage({ id: m.id, error: { name: err.name, message: err.message ?? String(e), code: err.code } } satisfies ThreadReply);
    }
  })();
});
port.postMessage({ id: 0, ready: true } satisfies ThreadReply);
