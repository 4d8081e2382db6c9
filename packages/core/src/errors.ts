/** Stable error codes: callers branch on `code`, never on the message. */
export type MtcnnErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_IMAGE'
  | 'DECODE_FAILED'
  | 'UNSUPPORTED_FORMAT'
  | 'IMAGE_TOO_LARGE'
  | 'DISPOSED'
  | 'ABORTED'
  | 'BACKEND_FAILED'
  /** An optional package the call needs is not installed (sharp to decode files in Node). */
  | 'MISSING_DEPENDENCY'
  /** A pool of detector workers refused a task: its queue is full (try again later). */
  | 'QUEUE_FULL'
  /** The worker thread running the detection died (out of memory, a crash); the pool replaced it. */
  | 'WORKER_FAILED'
  /** The weights could not be read or fetched (`@mtcnn/models`). */
  | 'WEIGHTS_FETCH'
  /** The weight files are not the published ones (sha256 or size differs). */
  | 'WEIGHTS_CHECKSUM'
  /** A weight tensor has an unexpected shape or the manifest does not match the shard. */
  | 'WEIGHTS_SHAPE'
  /** A weight tensor the networks need is not in the manifest. */
  | 'WEIGHTS_MISSING';

/** The one error class of the library. `message` says what to do about it. */
export class MtcnnError extends Error {
  readonly code: MtcnnErrorCode;

  constructor(code: MtcnnErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MtcnnError';
    this.code = code;
  }
}

export function isMtcnnError(e: unknown, code?: MtcnnErrorCode): e is MtcnnError {
  return e instanceof MtcnnError && (code === undefined || e.code === code);
}
