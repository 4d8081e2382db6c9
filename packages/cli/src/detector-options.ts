// The detector flags `detect` and `report` share, and what they become.
import { Option, type Command } from 'commander';
import type { DetectorOptions } from '@mtcnn/core';
import { BACKENDS, DEFAULT_BACKEND, type BackendName } from '@mtcnn/backends/node';
import { number, numberList } from './parse.js';

/** Adds --backend, --preset, --min-face, --scale-factor, --thresholds, --nms, --border, --no-auto-orient. */
export function addDetectorOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--backend <name>', 'inference backend').choices(Object.keys(BACKENDS)).default(DEFAULT_BACKEND),
    )
    .addOption(
      new Option(
        '--preset <name>',
        "'reference' = facenet-pytorch exactly (stretch borders, no EXIF rotation)",
      ).choices(['default', 'reference']),
    )
    .option('--min-face <px>', 'smallest face side to find (>= 12; default 20)', number('--min-face'))
    .option('--scale-factor <f>', 'pyramid scale step in (0, 1) (default 0.709)', number('--scale-factor'))
    .option('--thresholds <a,b,c>', 'P-Net, R-Net, O-Net score thresholds (default 0.6,0.7,0.7)', numberList(3))
    .option(
      '--nms <a,b,c,d>',
      'NMS thresholds: P-Net per scale, across scales, R-Net, O-Net Min (default 0.5,0.7,0.7,0.7)',
      numberList(4),
    )
    .addOption(
      new Option(
        '--border <mode>',
        'out-of-image part of a crop: grey-pad (default), zero-pad (black) or stretch (reference)',
      ).choices(['grey-pad', 'zero-pad', 'stretch']),
    )
    .option('--no-auto-orient', 'do not apply the EXIF orientation (off with --preset reference)');
}

/** The parsed flags of `addDetectorOptions`. */
export function detectorOptionsFrom(
  o: Record<string, unknown>,
  cmd: Command,
): { backend: BackendName; detector: DetectorOptions; autoOrient: boolean } {
  // Only an explicit --auto-orient flag overrides the preset's choice; commander gives `true` by default.
  const explicitOrient = cmd.getOptionValueSource('autoOrient') === 'cli';
  return {
    backend: o.backend as BackendName,
    detector: {
      preset: o.preset as DetectorOptions['preset'],
      minFaceSize: o.minFace as number | undefined,
      scaleFactor: o.scaleFactor as number | undefined,
      thresholds: o.thresholds as DetectorOptions['thresholds'],
      nmsThresholds: o.nms as DetectorOptions['nmsThresholds'],
      borderMode: o.border as DetectorOptions['borderMode'],
    },
    autoOrient: explicitOrient ? (o.autoOrient as boolean) : o.preset !== 'reference',
  };
}
