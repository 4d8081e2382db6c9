// One run at a time on an --output file: two runs appending to one file duplicated images and once
// mangled a line. proper-lockfile (a lock directory beside the file, `<file>.lock`, made with an
// atomic mkdir and kept fresh while the run lasts) works on local and network disks; a lock left
// by a killed run goes stale after 10 s, and a new run waits that long for it.
import lockfile from 'proper-lockfile';
import { MtcnnError } from '@mtcnn/core';

/** Stale after this long without an update (proper-lockfile updates it every half of it). */
const STALE_MS = 10_000;

/**
 * Lock `path` for this process (the file need not exist yet). Resolves to the release function.
 * Waits up to about 12 s for a lock left by a killed run to go stale; a live run's lock is an
 * `INVALID_OPTION` error naming the lock. `warn` hears of a lock taken over meanwhile.
 */
export async function lockOutput(path: string, warn: (message: string) => void): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(path, {
      realpath: false,
      stale: STALE_MS,
      retries: { retries: 12, factor: 1, minTimeout: 1000, maxTimeout: 1000 },
      onCompromised: (e) =>
        warn(`mtcnn: warning: the lock on ${path} was lost (${e.message}); another run may now write to it too.`),
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ELOCKED')
      throw new MtcnnError(
        'INVALID_OPTION',
        `${path} is being written by another mtcnn run (it holds ${path}.lock): ` +
          `wait for it to finish, or use another --output file.`,
      );
    throw new MtcnnError('INVALID_OPTION', `Cannot lock ${path} (${path}.lock): ${err.message}`);
  }
}
