// Errors as HTTP answers: `{ error: { code, message } }` with the status the code calls for.
import type { FastifyReply } from 'fastify';

/**
 * The HTTP status of an error code. Bad input is 4xx (the client can fix it); the server's own
 * limits are 503 / 504; only a failure of the server itself is 500.
 */
export function httpStatus(code: string): number {
  switch (code) {
    case 'INVALID_OPTION':
    case 'INVALID_IMAGE':
      return 400;
    case 'IMAGE_TOO_LARGE':
    case 'BODY_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_FORMAT':
      return 415;
    case 'DECODE_FAILED':
      return 422;
    case 'QUEUE_FULL':
    case 'DISPOSED': // the server is stopping
      return 503;
    case 'TIMEOUT':
      return 504;
    default: // WORKER_FAILED, BACKEND_FAILED, INTERNAL_ERROR
      return 500;
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export function sendError(reply: FastifyReply, code: string, message: string, status = httpStatus(code)): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message } } satisfies ErrorBody);
}
