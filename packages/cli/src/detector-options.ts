// The one detector flag set: every command that runs the detector (detect, crop, report, serve,
// queue add) takes these flags from here. Their wording is the server's query parameters'
// (`DETECTOR_PARAMS` of @mtcnn/runner); the defaults they print are core's `DEFAULT_OPTIONS`; what
// a preset implies (the reference preset's borders and EXIF rule) is left to core's `resolveOptions`.
import { Option, type Command } from 'commander';
import { DEFAULT_OPTIONS, resolveOptions, type DetectorOptions } from '@mtcnn/core';
import { BACKENDS, DEFAULT_BACKEND, type BackendName } from '@mtcnn/backends/node';
import { BORDER_MODES, BOX_FORMATS, DETECTOR_PARAMS, PRESETS } from '@mtcnn/runner';
import { number, numberList } from './parse.js';

/** The help text of the query parameter `name`, the same words for the flag. */
function help(name: string): string {
  const param = DETECTOR_PARAMS.find((p) => p.name === name);
  if (!param) throw new Error(`no detector parameter ${name}`);
  return param.description;
}

export interface DetectorFlagsOptions {
  /** Add `--box-format` (commands that print boxes); default true. */
  boxFormat?: boolean;
}

/**
 * Adds --backend, --preset, --min-face, --scale-factor, --thresholds, --nms, --border,
 * --no-auto-orient and (unless `boxFormat: false`) --box-format.
 */
export function addDetectorOptions(command: Command, flags: DetectorFlagsOptions = {}): Command {
  const orient = DEFAULT_OPTIONS.autoOrient ? 'applied' : 'not applied';
  command
    .addOption(
      new Option('--backend <name>', 'inference backend').choices(Object.keys(BACKENDS)).default(DEFAULT_BACKEND),
    )
    .addOption(new Option('--preset <name>', help('preset')).choices(PRESETS))
    .option('--min-face <px>', help('min_face'), number('--min-face'))
    .option('--scale-factor <f>', help('scale_factor'), number('--scale-factor'))
    .option('--thresholds <a,b,c>', help('thresholds'), numberList('--thresholds', 3))
    .option('--nms <a,b,c,d>', help('nms'), numberList('--nms', 4))
    .addOption(new Option('--border <mode>', help('border')).choices(BORDER_MODES))
    .option(
      '--no-auto-orient',
      `do not apply the EXIF orientation (${orient} by default; never with --preset reference)`,
    );
  if (flags.boxFormat !== false)
    command.addOption(new Option('--box-format <format>', help('box_format')).choices(BOX_FORMATS));
  return command;
}

/**
 * The parsed flags of `addDetectorOptions`: the backend, the detector options the user gave (a
 * flag left out stays unset, so the preset decides), and the EXIF rule those options resolve to
 * (for commands that decode images themselves). Bad values throw `INVALID_OPTION` (exit 2)
 * before any image is read.
 */
export function detectorOptionsFrom(
  o: Record<string, unknown>,
  cmd: Command,
): { backend: BackendName; detector: DetectorOptions; autoOrient: boolean } {
  const detector: DetectorOptions = {
    preset: o.preset as DetectorOptions['preset'],
    minFaceSize: o.minFace as number | undefined,
    scaleFactor: o.scaleFactor as number | undefined,
    thresholds: o.thresholds as DetectorOptions['thresholds'],
    nmsThresholds: o.nms as DetectorOptions['nmsThresholds'],
    borderMode: o.border as DetectorOptions['borderMode'],
    boxFormat: o.boxFormat as DetectorOptions['boxFormat'],
  };
  // commander sets `autoOrient: true` when --no-auto-orient is absent: only the flag itself counts.
  if (cmd.getOptionValueSource('autoOrient') === 'cli') detector.autoOrient = o.autoOrient as boolean;
  for (const key of Object.keys(detector) as (keyof DetectorOptions)[])
    if (detector[key] === undefined) delete detector[key];
  return { backend: o.backend as BackendName, detector, autoOrient: resolveOptions(detector).autoOrient };
}
