import type { DetectorOptions } from '@mtcnn/core';
import { createWorkerDetector, type WorkerDetector } from '@mtcnn/worker';
import type { VizInput } from '../model.js';
import type { BrowserBackendId } from './backends.js';
import type { ProgressMessage, RunExtras, RunMeta } from './detect.worker.js';
import type { LoadedImage } from './image-input.js';

/**
 * `DetectionSession` with the detector in a Web Worker (@mtcnn/worker): the page keeps drawing
 * and answering while the networks run. Same runs, same caching and counts (the worker wraps its
 * backend as the main-thread session does, see detect.worker.ts); only `setBackend` differs: it
 * takes the backend's id, since the backend is created in the worker.
 */
export class WorkerDetectionSession {
  private detector?: WorkerDetector;
  private image?: LoadedImage;
  private imageChanged = false;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  /** Network invocations (batches) on the real backend, for the UI and the tests. */
  networkCalls = 0;
  /** Called before each network run in the worker. */
  onProgress?: (p: Omit<ProgressMessage, 'type'>) => void;

  get backendName(): string | undefined {
    return this.detector?.backendName;
  }

  async setBackend(id: BrowserBackendId): Promise<void> {
    this.detector?.dispose();
    this.detector = undefined;
    const worker = new Worker(new URL('./detect.worker.ts', import.meta.url), { type: 'module' });
    // The worker cannot see the page's URL: tell it where weights/ and tfjs-wasm/ are served.
    worker.addEventListener('message', (ev: MessageEvent<ProgressMessage>) => {
      if (ev.data?.type === 'mtcnn-progress') this.onProgress?.(ev.data);
    });
    this.detector = await createWorkerDetector(worker, {
      backend: id,
      init: { assets: new URL('./', document.baseURI).href },
    });
    this.imageChanged = true;
  }

  setImage(image: LoadedImage): void {
    this.image = image;
    this.imageChanged = true;
  }

  /** Detects with `options`; resolves to undefined if a newer run superseded this one before it started. */
  run(options: DetectorOptions): Promise<VizInput | undefined> {
    const ticket = ++this.waiting;
    const job = this.queue.then(async () => {
      if (ticket !== this.waiting) return undefined;
      const { detector, image } = this;
      if (!detector || !image) return undefined;
      await detector.setOptions(options); // validates the options, in the worker
      const meta: RunMeta = { newImage: this.imageChanged };
      this.imageChanged = false;
      // The pixels are copied for the trip: the page keeps image.rgb for drawing.
      const report = await detector.detectWithStats(image.rgb, { trace: true, meta });
      const extras = report.extras as RunExtras;
      this.networkCalls = extras.networkCalls;
      const input: VizInput = {
        trace: report.trace!,
        image: { href: image.href, rgb: image.rgb, name: image.name },
        run: { backend: detector.backendName, networks: extras.networks },
        pictures: extras.pictures,
      };
      return input;
    });
    this.queue = job.catch(() => undefined);
    return job;
  }
}
