// The detection worker of the app: the standard backends of @mtcnn/worker, wrapped like the
// main-thread session wraps them (counting network calls, caching network outputs), so moving a
// threshold re-runs only the post-processing here too. See worker-session.ts.
import type { MtcnnBackend } from '@mtcnn/core';
import { createStandardBackend, type StandardBackendInit } from '@mtcnn/worker/backends';
import { serveDetector } from '@mtcnn/worker/host';
import { createCachingBackend, type CachingBackend } from './caching-backend.js';
import { createCapturingBackend, type CapturedInputs, type CapturingBackend } from './capture.js';

/** What each run reports back to the page (a `RunInfo`'s networks, and the running total of network calls). */
export interface RunExtras {
  networks: CachingBackend['counts'];
  networkCalls: number;
  /** The networks' inputs as pictures, made here rather than on the page. */
  pictures: CapturedInputs;
}

/** Sent with each run: whether the image changed since the last run (the cache is then cleared). */
export interface RunMeta {
  newImage: boolean;
}

let networkCalls = 0;
let caching: CachingBackend | undefined;
let capture: CapturingBackend | undefined;

/** RGBA to PNG off the page: an OffscreenCanvas of the worker. */
async function encodePng(rgba: Uint8ClampedArray, width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

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
    // Outside the cache, so that answers from the cache are pictured too.
    caching = createCachingBackend(counted);
    capture = createCapturingBackend(caching, encodePng);
    return capture;
  },
  beforeDetect(_backend, meta) {
    if ((meta as RunMeta | undefined)?.newImage) {
      caching!.clear();
      capture!.forgetLevels();
    }
    caching!.resetCounts();
    capture!.begin();
  },
  async afterDetect(): Promise<RunExtras> {
    return { networks: structuredClone(caching!.counts), networkCalls, pictures: await capture!.take() };
  },
});
