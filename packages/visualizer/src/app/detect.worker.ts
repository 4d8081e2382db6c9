// The detection worker of the app: the standard backends of @mtcnn/worker, wrapped like the
// main-thread session wraps them (counting network calls, caching network outputs), so moving a
// threshold re-runs only the post-processing here too. See worker-session.ts.
import type { MtcnnBackend } from '@mtcnn/core';
import { createStandardBackend, type StandardBackendInit } from '@mtcnn/worker/backends';
import { serveDetector } from '@mtcnn/worker/host';
import { createCachingBackend, type CachingBackend } from './caching-backend.js';

/** What each run reports back to the page (a `RunInfo`'s networks, and the running total of network calls). */
export interface RunExtras {
  networks: CachingBackend['counts'];
  networkCalls: number;
}

/** Sent with each run: whether the image changed since the last run (the cache is then cleared). */
export interface RunMeta {
  newImage: boolean;
}

let networkCalls = 0;

/** Posted before each network run, so the page can show progress (the worker client ignores it: it has no id). */
export interface ProgressMessage {
  type: 'mtcnn-progress';
  net: 'pnet' | 'rnet' | 'onet';
  /** P-Net: the level's size; R-Net / O-Net: the crops in this run. */
  height?: number;
  width?: number;
  count?: number;
}

const progress = (m: Omit<ProgressMessage, 'type'>): void =>
  (globalThis as unknown as { postMessage(m: ProgressMessage): void }).postMessage({ type: 'mtcnn-progress', ...m });

serveDetector({
  async createBackend(id, init) {
    const backend = await createStandardBackend(id, init as StandardBackendInit);
    const counted: MtcnnBackend = {
      name: backend.name,
      runPNet: (...a) => {
        networkCalls++;
        progress({ net: 'pnet', height: a[1], width: a[2] });
        return backend.runPNet(...a);
      },
      runRNet: (...a) => {
        networkCalls++;
        progress({ net: 'rnet', count: a[1] });
        return backend.runRNet(...a);
      },
      runONet: (...a) => {
        networkCalls++;
        progress({ net: 'onet', count: a[1] });
        return backend.runONet(...a);
      },
      dispose: () => backend.dispose(),
    };
    return createCachingBackend(counted);
  },
  beforeDetect(backend, meta) {
    const caching = backend as CachingBackend;
    if ((meta as RunMeta | undefined)?.newImage) caching.clear();
    caching.resetCounts();
  },
  afterDetect(backend): RunExtras {
    return { networks: structuredClone((backend as CachingBackend).counts), networkCalls };
  },
});
