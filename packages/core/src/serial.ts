import type { MtcnnBackend } from './backend.js';

/**
 * The backend as seen by one detector: network calls run one at a time, in call order. Runtimes
 * differ on concurrent runs of one session (onnxruntime-web rejects them; tfjs switches global
 * state), and each call already uses every core it can, so concurrent `detect()` calls interleave
 * at call boundaries instead. Results equal sequential calls'.
 */
export function serialBackend(backend: MtcnnBackend): MtcnnBackend {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const run = tail.then(() => fn.apply(backend, args));
      tail = run.catch(() => undefined);
      return run;
    };
  return {
    name: backend.name,
    pixelLayout: backend.pixelLayout,
    runPNet: serial(backend.runPNet),
    runRNet: serial(backend.runRNet),
    runONet: serial(backend.runONet),
    dispose: () => backend.dispose(),
  };
}
