// A run: the images of one queue, in the order they were added, with the detector options they
// were added with. What lives in Redis beside BullMQ's own keys, and the ids of its jobs.
import { createHash } from 'node:crypto';
import { MtcnnError, type DetectorOptions } from '@mtcnn/core';

/** BullMQ's default key prefix; every key of a queue starts with `bull:NAME:`. */
export const KEY_PREFIX = 'bull';
export const DEFAULT_QUEUE = 'mtcnn';
export const DEFAULT_CHUNK = 16;
/** Tries per image before it counts as poison (a crash or a detector failure each time). */
export const DEFAULT_ATTEMPTS = 3;
/** The BullMQ job name of every job (one chunk of images). */
export const JOB_NAME = 'detect';

/** What a worker needs to produce an image's entry exactly as `mtcnn detect` would. */
export interface RunOptions {
  /** The backend named at `queue add`; a worker's `--backend` overrides it (same faces: the parity tests). */
  backend: string;
  detector: DetectorOptions;
  autoOrient: boolean;
  /** Add per-stage counts to each entry (`--stats`). */
  stats: boolean;
  /** Tries per image before it is given up as poison. */
  attempts: number;
}

/** One job: a chunk of images (absolute paths, in input order) and the run's options. */
export interface JobData {
  files: string[];
  options: RunOptions;
}

/** Redis keys of a run, beside BullMQ's (`bull:NAME:mtcnn:*`; BullMQ's job ids never contain `:`). */
export interface RunKeys {
  /** Hash: `options` (canonical JSON of `RunOptions`), `created` (ms). */
  meta: string;
  /** Hash: absolute path -> id of the job that holds it (an image is queued once). */
  files: string;
  /** List: job ids in the order their images were added (input order = this order, then each job's files). */
  jobs: string;
  /** Hash: counters kept by the workers (`done`, `errors`: images of completed jobs). */
  stats: string;
  /** Hash per job: what its attempts did so far, image by image (`e:K` entry, `t:K` tries, `x:K` last error). */
  partial: (jobId: string) => string;
}

export function checkQueueName(name: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name))
    throw new MtcnnError('INVALID_OPTION', `--queue ${name}: use letters, digits, '.', '_' or '-' (at most 100).`);
  return name;
}

export function runKeys(queue: string): RunKeys {
  const base = `${KEY_PREFIX}:${checkQueueName(queue)}:mtcnn`;
  return {
    meta: `${base}:run`,
    files: `${base}:files`,
    jobs: `${base}:jobs`,
    stats: `${base}:stats`,
    partial: (jobId) => `${base}:partial:${jobId}`,
  };
}

/** JSON with sorted keys and no `undefined`: equal options give equal strings. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = sort(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

/**
 * A chunk's job id: a hash of its paths, so the same chunk added again is the same job (BullMQ
 * ignores an add whose id exists). Not a number and without `:` (BullMQ refuses both as custom ids).
 */
export function jobIdOf(files: readonly string[]): string {
  return `c${createHash('sha256').update(files.join('\0')).digest('hex').slice(0, 40)}`;
}

/** `files` in consecutive chunks of at most `size`, in order. */
export function chunk<T>(files: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new MtcnnError('INVALID_OPTION', `--chunk must be a whole number >= 1.`);
  const out: T[][] = [];
  for (let i = 0; i < files.length; i += size) out.push(files.slice(i, i + size));
  return out;
}
