// What a queue worker runs on each image: the runner's pool of detectors in worker threads, and
// the CLI's JSON entry. Per-image failures (unreadable, corrupt, too large) are entries; failures
// of the detector itself (a dead worker thread, a failed runtime) throw, so the image is tried again.
import { MtcnnError, type MtcnnErrorCode } from '@mtcnn/core';
import { type DetectEntry, type DetectorPool, openPool } from '@mtcnn/runner';
import type { RunOptions } from './run.js';

export type { DetectEntry } from '@mtcnn/runner';

/** Detection as a queue worker needs it: an entry per file, under the run's options. */
export interface FileDetector {
  /**
   * The entry of `file`. Resolves with an `error` entry for a bad image; rejects when the detector
   * itself failed (backend failure, a dead worker thread): the worker then tries the image again.
   */
  detect(file: string, options: RunOptions): Promise<DetectEntry>;
  /** Finish the detections in progress and free every detector. */
  close(): Promise<void>;
}

/** Result codes that say the detector failed, not the image: the image gets another try. */
const DETECTOR_FAILURES = new Set(['WORKER_FAILED', 'BACKEND_FAILED', 'DISPOSED', 'INTERNAL_ERROR']);

/**
 * `workers` worker threads (the runner's pool), each with one detector on one core, never on the
 * worker's event loop (BullMQ renews its job locks there). Opened at the first image, on the run's
 * backend; a job of another backend (a worker serving a different run) reopens it.
 */
export function poolDetector(workers: number): FileDetector {
  let pool: Promise<DetectorPool> | undefined;
  let poolBackend = '';
  const poolFor = async (backend: string): Promise<DetectorPool> => {
    if (pool && poolBackend !== backend) {
      const old = pool;
      pool = undefined;
      await (await old.catch(() => undefined))?.close();
    }
    if (!pool) {
      poolBackend = backend;
      pool = openPool({ workers, backend, threads: 1 });
      pool.catch(() => (pool = undefined)); // a failed start is tried again by the next image
    }
    return pool;
  };
  return {
    async detect(file, o) {
      const p = await poolFor(o.backend);
      const r = await p.submit({
        source: { file },
        options: { ...o.detector, autoOrient: o.autoOrient },
        stats: o.stats,
        label: file,
      });
      if ('error' in r) {
        if (!DETECTOR_FAILURES.has(r.error.code)) return { file, error: r.error };
        // A bug in the worker (INTERNAL_ERROR) killed it like any other failure: WORKER_FAILED, the code kept in the
        // message.
        if (r.error.code === 'INTERNAL_ERROR')
          throw new MtcnnError('WORKER_FAILED', `INTERNAL_ERROR: ${r.error.message}`);
        throw new MtcnnError(r.error.code as MtcnnErrorCode, r.error.message);
      }
      return { file, ...r.entry };
    },
    async close() {
      const p = pool;
      pool = undefined;
      await (await p?.catch(() => undefined))?.close();
    },
  };
}
