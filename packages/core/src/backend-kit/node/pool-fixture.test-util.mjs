// A thread for thread-pool.test.ts: the built serveThread, with behaviours the tests ask for.
// `workerData.shared` (Int32Array on a SharedArrayBuffer) is how threads report back:
// [0] threads started, [1] stop() calls, [2] runs finished when the last stop() began, [3] runs finished.
import { setTimeout as sleep } from 'node:timers/promises';
import { workerData } from 'node:worker_threads';
import { serveThread } from '../../../dist/backend-kit/node/thread-pool.js';

const { mode, shared } = workerData;
const counters = new Int32Array(shared);

await serveThread(
  async () => {
    const index = Atomics.add(counters, 0, 1);
    if (mode === 'fail-start') throw new Error('no runtime here');
    // The first thread fails; the others are still starting when it does.
    if (mode === 'first-fails') {
      if (index === 0) throw new Error('first thread fails');
      await sleep(300);
    }
    return { index };
  },
  async (state, request) => {
    if (request.op === 'exit') process.exit(3);
    if (request.op === 'throw') {
      const e = request.range ? new RangeError('bad range') : new Error('it broke');
      if (request.code) e.code = request.code;
      throw e;
    }
    if (request.ms) await sleep(request.ms);
    Atomics.add(counters, 3, 1);
    return { data: request.data, index: state.index };
  },
  {
    info: (state) => ({ name: 'fixture', first: state.index }),
    stop: () => {
      Atomics.add(counters, 1, 1);
      Atomics.store(counters, 2, Atomics.load(counters, 3));
    },
  },
);
