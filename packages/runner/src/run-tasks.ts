import type { DetectorPool } from './pool.js';
import type { TaskResult, TaskSpec } from './protocol.js';

/**
 * Run a batch of tasks through `pool`, keeping at most `window` of them submitted at a time (the
 * rest wait here, not in the pool's queue, so that a million-image batch costs no memory in the
 * pool). `onResult` gets each task's index and result, in completion order (input order with one
 * worker). If `onResult` throws (say the output disk is full), no more tasks are submitted and the
 * promise rejects with that error once the submitted ones have settled; the pool stays open.
 */
export function runTasks(
  pool: DetectorPool,
  tasks: readonly TaskSpec[],
  onResult: (index: number, result: TaskResult) => void,
  window = 2 * pool.size,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let pending = 0;
    let failure: { error: unknown } | undefined;
    const settleIfDone = (): void => {
      if (pending > 0) return;
      if (failure) reject(failure.error);
      else if (next === tasks.length) resolve();
    };
    const pump = (): void => {
      while (!failure && next < tasks.length && pending < window) {
        const index = next++;
        pending++;
        pool.submit(tasks[index]).then(
          (result) => {
            pending--;
            if (!failure) {
              try {
                onResult(index, result);
              } catch (error) {
                failure = { error };
              }
            }
            pump();
            settleIfDone();
          },
          (error: unknown) => {
            pending--;
            failure ??= { error };
            settleIfDone();
          },
        );
      }
    };
    pump();
    settleIfDone();
  });
}
