// One backend in a worker thread, serving network runs for threaded-backend.ts: the thread
// imports the module it was given, creates the backend with its factory, and runs what it is sent.
import { workerData } from 'node:worker_threads';
import type { MtcnnBackend } from '../../backend.js';
import type { BackendThreadData, ThreadRun } from './threaded-backend.js';
import { serveThread } from './thread-pool.js';

const config = workerData as BackendThreadData;

/** The backend's plain properties (name, layouts, ...) for the proxy to report as its own. */
function describe(backend: MtcnnBackend): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(backend)) {
    if (key === 'inFlight' || key === 'threads') continue;
    if (['string', 'number', 'boolean'].includes(typeof value)) info[key] = value;
  }
  return info;
}

await serveThread<MtcnnBackend, ThreadRun>(
  async () => {
    const module = (await import(config.module)) as Record<string, unknown>;
    const factory = module[config.factory];
    if (typeof factory !== 'function') throw new Error(`${config.module} has no function ${config.factory}`);
    return (await factory(config.options)) as MtcnnBackend;
  },
  async (backend, run) => {
    if (run.net === 'pnet') return backend.runPNet(run.data, run.height!, run.width!, run.layout);
    if (run.net === 'rnet') return backend.runRNet(run.data, run.count!, run.layout);
    return backend.runONet(run.data, run.count!, run.layout);
  },
  {
    info: describe,
    // Sessions are released before the thread exits (disposeAsync waits for runs in flight).
    stop: (backend) => (backend as { disposeAsync?: () => Promise<void> }).disposeAsync?.() ?? backend.dispose(),
  },
);
