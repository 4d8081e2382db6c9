import { createDetector, type DetectorOptions, type MtcnnBackend } from '@mtcnn/core';
import type { VizInput } from '../model.js';
import { createCachingBackend, type CachingBackend } from './caching-backend.js';
import type { LoadedImage } from './image-input.js';

/**
 * One image on one backend. Every `run` re-detects from scratch through the core, on a caching
 * backend: networks run only for inputs they have not seen (see caching-backend.ts), and the
 * result says what ran. Runs are serialised; a run asked for while one is going replaces any
 * run still waiting (only the latest options matter).
 */
export class DetectionSession {
  private backend?: CachingBackend;
  private image?: LoadedImage;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  /** Network invocations (batches) on the real backend, for the UI and the tests. */
  networkCalls = 0;
  /** Called before each network run (as the worker session's progress messages). */
  onProgress?: (p: { net: 'pnet' | 'rnet' | 'onet'; height?: number; width?: number; count?: number }) => void;

  get backendName(): string | undefined {
    return this.backend?.name;
  }

  setBackend(backend: MtcnnBackend): void {
    this.backend?.dispose();
    const counted: MtcnnBackend = {
      name: backend.name,
      runPNet: (...a) => {
        this.networkCalls++;
        this.onProgress?.({ net: 'pnet', height: a[1], width: a[2] });
        return backend.runPNet(...a);
      },
      runRNet: (...a) => {
        this.networkCalls++;
        this.onProgress?.({ net: 'rnet', count: a[1] });
        return backend.runRNet(...a);
      },
      runONet: (...a) => {
        this.networkCalls++;
        this.onProgress?.({ net: 'onet', count: a[1] });
        return backend.runONet(...a);
      },
      dispose: () => backend.dispose(),
    };
    this.backend = createCachingBackend(counted);
  }

  setImage(image: LoadedImage): void {
    this.image = image;
    this.backend?.clear();
  }

  /** Detects with `options`; resolves to undefined if a newer run superseded this one before it started. */
  run(options: DetectorOptions): Promise<VizInput | undefined> {
    const ticket = ++this.waiting;
    const job = this.queue.then(async () => {
      if (ticket !== this.waiting) return undefined;
      const { backend, image } = this;
      if (!backend || !image) return undefined;
      // validates the options; never disposed (it would dispose the backend)
      const detector = createDetector(backend, options);
      backend.resetCounts();
      const report = await detector.detectWithStats(image.rgb, { trace: true });
      const input: VizInput = {
        trace: report.trace!,
        image: { href: image.href, rgb: image.rgb, name: image.name },
        run: { backend: backend.name, networks: structuredClone(backend.counts) },
      };
      return input;
    });
    this.queue = job.catch(() => undefined);
    return job;
  }
}
