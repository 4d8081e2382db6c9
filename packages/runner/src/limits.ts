import { availableParallelism } from 'node:os';
import { MtcnnError } from '@mtcnn/core';

/**
 * The most detector workers a pool (`--jobs`, `--workers`) may start: 4 per core. Each worker holds
 * its own backend (weights, runtime, scratch buffers: tens of MB), and past the cores more workers
 * only add memory (`-j 1000` once used 12 GB); a few per core still hide decoding and file reads.
 */
export function maxWorkers(cores = availableParallelism()): number {
  return 4 * Math.max(1, cores);
}

/** `n` if it is a whole number in 1..maxWorkers(), else `INVALID_OPTION` naming `flag` and the bound. */
export function checkWorkers(n: number, flag: string, cores = availableParallelism()): number {
  const max = maxWorkers(cores);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new MtcnnError(
      'INVALID_OPTION',
      `${flag} must be a whole number from 1 to ${max} (4 per ` +
        `core, ${cores} core${cores === 1 ? '' : 's'} here), got ${n}.`,
    );
  }
  return n;
}

/**
 * Threads for each worker's backend: 1 (`--jobs N`: N workers, a core each), except when there
 * are fewer images than workers asked for: the workers that run then share the threads of the
 * idle ones, up to the cores (one image on 2 cores with the default `--jobs 2`: 2 threads).
 */
export function threadsPerWorker(requested: number, workers: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.floor(requested / workers)));
}
