export type WeightsErrorCode = 'WEIGHTS_CHECKSUM' | 'WEIGHTS_MISSING' | 'WEIGHTS_SHAPE' | 'WEIGHTS_FETCH';

/** Every failure to obtain or verify the weights; `code` is stable, the message says what to do. */
export class WeightsError extends Error {
  readonly code: WeightsErrorCode;

  constructor(code: WeightsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WeightsError';
    this.code = code;
  }
}

export function isWeightsError(e: unknown): e is WeightsError {
  return e instanceof WeightsError;
}
