// Detector options written as strings (CLI flags, HTTP query parameters) and what they become.
// One table, so that `mtcnn serve`'s query parameters take what `mtcnn detect`'s flags take.
import { DEFAULT_OPTIONS, MtcnnError, type DetectorOptions } from '@mtcnn/core';

function invalid(name: string, rule: string, value: string): MtcnnError {
  return new MtcnnError('INVALID_OPTION', `${name} must be ${rule}, got '${value}'.`);
}

/** A finite number (no empty string, no `Infinity`). */
export function parseNumber(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw invalid(name, 'a number', value);
  return n;
}

/** Exactly `count` comma-separated finite numbers; an empty part is refused (it would read as 0). */
export function parseNumberList(name: string, value: string, count: number): number[] {
  const parts = value.split(',');
  const example = [0.6, 0.7, 0.7, 0.7].slice(0, count).join(',');
  if (parts.length !== count || parts.some((p) => p.trim() === '' || !Number.isFinite(Number(p))))
    throw invalid(name, `${count} comma-separated numbers, none empty, e.g. ${example}`, value);
  return parts.map(Number);
}

/** `true` / `false` (also `1` / `0`, and an empty value, as in `?stats`, for true). */
export function parseBoolean(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalid(name, 'true or false', value);
}

function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw invalid(name, `one of ${choices.join(', ')}`, value);
  return value as T;
}

/** One detector option as a string parameter. */
export interface DetectorParam {
  /** The HTTP query parameter (`min_face`); the CLI flag is the same with dashes (`--min-face`). */
  name: string;
  /** The `DetectorOptions` field it sets. */
  option: keyof DetectorOptions;
  description: string;
  /** The JSON schema of the parameter (documentation: OpenAPI). */
  schema: Record<string, unknown>;
  parse(value: string, name: string): DetectorOptions[keyof DetectorOptions];
}

export const PRESETS = ['default', 'reference'] as const;
export const BORDER_MODES = ['grey-pad', 'zero-pad', 'stretch'] as const;
export const BOX_FORMATS = ['xywh', 'xyxy'] as const;

// The defaults in the descriptions are read from core's DEFAULT_OPTIONS, where they are written.
const D = DEFAULT_OPTIONS;

/** The detector options a request or a command line may set, as strings. */
export const DETECTOR_PARAMS: readonly DetectorParam[] = [
  {
    name: 'preset',
    option: 'preset',
    description:
      "'reference' = facenet-pytorch exactly (stretch borders, no EXIF rotation); explicit options override it",
    schema: { type: 'string', enum: [...PRESETS] },
    parse: (v, name) => parseChoice(name, v, PRESETS),
  },
  {
    name: 'min_face',
    option: 'minFaceSize',
    description: `smallest face side to find, in pixels (>= 12; default ${D.minFaceSize})`,
    schema: { type: 'number', minimum: 12 },
    parse: (v, name) => parseNumber(name, v),
  },
  {
    name: 'scale_factor',
    option: 'scaleFactor',
    description: `pyramid scale step in (0, 1) (default ${D.scaleFactor})`,
    schema: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    parse: (v, name) => parseNumber(name, v),
  },
  {
    name: 'thresholds',
    option: 'thresholds',
    description: `P-Net, R-Net, O-Net score thresholds (default ${D.thresholds.join(',')})`,
    schema: { type: 'string', pattern: '^[^,]+,[^,]+,[^,]+$', examples: ['0.6,0.7,0.7'] },
    parse: (v, name) => parseNumberList(name, v, 3) as [number, number, number],
  },
  {
    name: 'nms',
    option: 'nmsThresholds',
    description:
      'NMS thresholds: P-Net per scale, across scales, R-Net, O-Net Min (default ' + `${D.nmsThresholds.join(',')})`,
    schema: { type: 'string', pattern: '^[^,]+,[^,]+,[^,]+,[^,]+$', examples: ['0.5,0.7,0.7,0.7'] },
    parse: (v, name) => parseNumberList(name, v, 4) as [number, number, number, number],
  },
  {
    name: 'border',
    option: 'borderMode',
    description:
      'out-of-image part of a crop: grey-pad (mid-grey), zero-pad (black) or stretch ' +
      `(the reference preset's); default ${D.borderMode}`,
    schema: { type: 'string', enum: [...BORDER_MODES] },
    parse: (v, name) => parseChoice(name, v, BORDER_MODES),
  },
  {
    name: 'box_format',
    option: 'boxFormat',
    description: `box as [x,y,w,h] (xywh) or [x1,y1,x2,y2] (xyxy); default ${D.boxFormat}`,
    schema: { type: 'string', enum: [...BOX_FORMATS] },
    parse: (v, name) => parseChoice(name, v, BOX_FORMATS),
  },
  {
    name: 'auto_orient',
    option: 'autoOrient',
    description: `apply the EXIF orientation (default ${D.autoOrient}; false with preset=reference)`,
    schema: { type: 'boolean' },
    parse: (v, name) => parseBoolean(name, v),
  },
];

/**
 * Detector options from string parameters by name (`{ min_face: '40', thresholds: '0.6,0.7,0.8' }`).
 * Names not in `DETECTOR_PARAMS` are left for the caller; a bad value throws `INVALID_OPTION`
 * naming the parameter. The values are parsed, not yet range-checked: `resolveOptions` does that.
 */
export function detectorOptionsFromParams(params: Readonly<Record<string, string | undefined>>): DetectorOptions {
  const options: Record<string, unknown> = {};
  for (const p of DETECTOR_PARAMS) {
    const value = params[p.name];
    if (value !== undefined) options[p.option] = p.parse(value, p.name);
  }
  return options as DetectorOptions;
}
