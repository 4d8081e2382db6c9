// JSON schemas of the routes: they document the API (GET /openapi.json) and serialize the
// answers. The query is not validated by them but by the runner's option parsers (the CLI's rules
// and messages, errors as 400 INVALID_OPTION).
import { DETECTOR_PARAMS } from '@mtcnn/runner';

const point = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;

export const faceSchema = {
  type: 'object',
  required: ['box', 'confidence', 'keypoints'],
  properties: {
    box: {
      type: 'array',
      items: { type: 'number' },
      minItems: 4,
      maxItems: 4,
      description: '[x, y, width, height] (or [x1, y1, x2, y2] with box_format=xyxy), image pixels, not clipped',
    },
    confidence: { type: 'number', description: "O-Net's face probability" },
    keypoints: {
      type: 'object',
      description: "[x, y] of each landmark, named from the image's point of view",
      required: ['left_eye', 'right_eye', 'nose', 'mouth_left', 'mouth_right'],
      properties: { left_eye: point, right_eye: point, nose: point, mouth_left: point, mouth_right: point },
    },
  },
} as const;

/** One entry of `mtcnn detect`'s JSON, without `file`. */
export const entrySchema = {
  type: 'object',
  required: ['width', 'height', 'faces'],
  properties: {
    width: { type: 'integer', description: 'decoded width (after the EXIF orientation)' },
    height: { type: 'integer' },
    faces: { type: 'array', items: faceSchema, description: 'largest first' },
    stages: {
      type: 'object',
      description: 'per-stage counts (stats=true), under the reference implementation names',
      properties: Object.fromEntries(
        ['scales', 'pnet', 'pnet_nms', 'rnet', 'rnet_nms', 'onet', 'faces'].map((k) => [k, { type: 'integer' }]),
      ),
    },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable: branch on it (INVALID_OPTION, DECODE_FAILED, QUEUE_FULL, ...)' },
        message: { type: 'string', description: 'what went wrong and what to do' },
      },
    },
  },
} as const;

/** The query parameters: the detector options by their CLI names (`min_face` = `--min-face`), and `stats`. */
export function querySchema(withStats: boolean): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const p of DETECTOR_PARAMS) properties[p.name] = { ...p.schema, description: p.description };
  if (withStats)
    properties.stats = { type: 'boolean', description: 'add the per-stage counts ("stages") to the answer' };
  return { type: 'object', properties, additionalProperties: false };
}

/** Media types of a raw image body (any other type is read as bytes too; the decoder decides). */
export const RAW_IMAGE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
  'application/octet-stream',
];

/** The request body: the image itself, or a multipart form with the image in the field `image`. */
export const imageBodySchema = {
  content: {
    ...Object.fromEntries(RAW_IMAGE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['image'],
        properties: { image: { type: 'string', format: 'binary', description: 'the image file' } },
      },
    },
  },
};

export const errorResponses = {
  '4xx': { description: 'bad input: { error: { code, message } }', ...errorSchema },
  '5xx': { description: 'busy (503, Retry-After), timed out (504) or failed (500)', ...errorSchema },
} as const;
