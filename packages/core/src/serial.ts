import type { MtcnnBackend } from './backend.js';
import { exactOf } from './edges.js';

/** The `inFlight` a backend asks for, as a usable count (>= 1). */
export function inFlightOf(backend: MtcnnBackend): number {
  const n = backend.inFlight;
  return typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 1;
}

/**
 * The backend as seen by one detector: at most `inFlight` network calls at a time (one for a
 * backend computing on the calling thread), started in call order. Runtimes differ on concurrent
 * runs of one session (onnxruntime-web rejects them; tfjs switches global state), and each call
 * already uses every core it can, so concurrent `detect()` calls interleave at call boundaries
 * instead. Results equal sequential calls'.
 */
export function serialBackend(backend: MtcnnBackend): MtcnnBackend & { close(error: Error): void } {
  const limit = inFlightOf(backend);
  const exact = exactOf(backend);
  let running = 0;
  let closed: Error | undefined;
  const waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const release = (): void => {
    running--;
    waiting.shift()?.resolve();
  };
  const acquire = (): Promise<void> => {
    if (closed) return Promise.reject(closed);
    if (running < limit && waiting.length === 0) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) =>
      waiting.push({
        resolve: () => {
          running++;
          resolve();
        },
        reject,
      }),
    );
  };
  const serial =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await acquire();
      try {
        return await fn.apply(backend, args);
      } finally {
        release();
      }
    };
  return {
    name: backend.name,
    pixelLayout: backend.pixelLayout,
    inFlight: limit,
    runPNet: serial(backend.runPNet),
    runRNet: serial(backend.runRNet),
    runONet: serial(backend.runONet),
    dispose: () => backend.dispose(),
    // The exact backend (edges.ts), one call at a time as well; disposed with the backend.
    ...(exact ? { exact: serialBackend(exact) } : {}),
    // Every call still waiting for its turn rejects with `error` now, and any later one at once:
    // a disposed detector's queued calls settle without running (or preparing) anything more.
    close(error) {
      closed ??= error;
      for (const w of waiting.splice(0)) w.reject(closed);
    },
  };
}
