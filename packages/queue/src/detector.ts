// What a queue worker runs on each image. The CLI's JSON entry, one per image; per-image
// failures (unreadable, corrupt, too large) are entries, failures of the detector itself throw.
import { isMtcnnError, type Detector, type DetectorOptions, type Face } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { isBackendName, openDetector } from '@mtcnn/backends/node';
import { canonicalJson, type RunOptions } from './run.js';

/** One image's entry, as `mtcnn detect` prints it (errors included, tagged by file). */
export type DetectEntry =
  | {
      file: string;
      width: number;
      height: number;
      faces: Face[];
      stages?: {
        scales: number;
        pnet: number;
        pnet_nms: number;
        rnet: number;
        rnet_nms: number;
        onet: number;
        faces: number;
      };
    }
  | { file: string; error: { code: string; message: string } };

/** Detection as a queue worker needs it: an entry per file, under the run's options. */
export interface FileDetector {
  /**
   * The entry of `file`. Resolves with an `error` entry for a bad image; rejects when the detector
   * itself failed (backend failure, a dead worker thread): the worker then tries the image again.
   */
  detect(file: string, options: RunOptions): Promise<DetectEntry>;
  /** Free every detector. */
  close(): Promise<void>;
}

/**
 * Detectors on this thread, one per distinct set of options (a worker usually serves one run), each
 * with `threads` cores for its backend. Detection blocks this thread while a network runs (ONNX
 * Runtime's `run` is synchronous), which is short enough for BullMQ's lock renewal timer.
 */
export function inProcessDetector(threads = 1): FileDetector {
  const detectors = new Map<string, Promise<Detector>>();
  const detectorFor = (o: RunOptions): Promise<Detector> => {
    const key = canonicalJson({ backend: o.backend, detector: o.detector });
    let d = detectors.get(key);
    if (!d) {
      if (!isBackendName(o.backend)) throw new Error(`unknown backend ${o.backend}`);
      d = openDetector(o.backend, o.detector as DetectorOptions, threads);
      d.catch(() => detectors.delete(key)); // a failed start is retried by the next image
      detectors.set(key, d);
    }
    return d;
  };
  return {
    async detect(file, o) {
      const detector = await detectorFor(o);
      try {
        const image = await loadImage(file, { autoOrient: o.autoOrient });
        const report = await detector.detectWithStats(image);
        const entry: DetectEntry = { file, width: image.width, height: image.height, faces: report.faces };
        if (o.stats) {
          const c = report.counts;
          entry.stages = {
            scales: c.scales,
            pnet: c.pnet,
            pnet_nms: c.pnetNms,
            rnet: c.rnet,
            rnet_nms: c.rnetNms,
            onet: c.onet,
            faces: c.faces,
          };
        }
        return entry;
      } catch (e) {
        if (!isMtcnnError(e) || e.code === 'DISPOSED' || e.code === 'BACKEND_FAILED') throw e;
        return { file, error: { code: e.code, message: e.message } };
      }
    },
    async close() {
      const all = [...detectors.values()];
      detectors.clear();
      for (const d of await Promise.allSettled(all)) if (d.status === 'fulfilled') d.value.dispose();
    },
  };
}
