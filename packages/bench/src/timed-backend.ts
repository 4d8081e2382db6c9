import type { MtcnnBackend } from '@mtcnn/core';

export interface NetworkMs {
  pnet: number;
  rnet: number;
  onet: number;
}

/**
 * The backend with a stopwatch on each network call, so a run's time splits into resampling,
 * networks and the rest (thresholds, NMS, regression). Calls of one detection are sequential (a
 * backend without `inFlight`), so the sums are wall time; with calls in flight together they add
 * up each call's own time.
 */
export function timedBackend(backend: MtcnnBackend): { backend: MtcnnBackend; take(): NetworkMs } {
  let ms: NetworkMs = { pnet: 0, rnet: 0, onet: 0 };
  const timed =
    <A extends unknown[], R>(net: keyof NetworkMs, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const t0 = performance.now();
      try {
        return await fn.apply(backend, args);
      } finally {
        ms[net] += performance.now() - t0;
      }
    };
  return {
    backend: {
      name: backend.name,
      pixelLayout: backend.pixelLayout,
      inFlight: backend.inFlight,
      runPNet: timed('pnet', backend.runPNet),
      runRNet: timed('rnet', backend.runRNet),
      runONet: timed('onet', backend.runONet),
      dispose: () => backend.dispose(),
    },
    take() {
      const out = ms;
      ms = { pnet: 0, rnet: 0, onet: 0 };
      return out;
    },
  };
}
