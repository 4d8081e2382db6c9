import { mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import sharp from 'sharp';
import { cropFace, isMtcnnError, type DetectorOptions, type Face } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { openDetector, type BackendName } from '@mtcnn/backends/node';
import { addDetectorOptions, detectorOptionsFrom } from './detector-options.js';
import { expandInputs } from './inputs.js';
import type { Io } from './program.js';
import { number } from './parse.js';

export interface CropCommandOptions {
  out: string;
  size: number;
  /** Default 0.2 for box crops, 0 with `align` (the exact ArcFace crop). */
  margin?: number;
  align: boolean;
  backend: BackendName;
  /** The detector flags' options (`detectorOptionsFrom`): also how images are decoded. */
  detector: DetectorOptions;
  log: (line: string) => void;
}

export type CropEntry =
  | { file: string; width: number; height: number; crops: { path: string; face: Face }[] }
  | { file: string; error: { code: string; message: string } };

/**
 * For each image: detect, crop every face (`extractFaces`' rules), write `<out>/<name>_<i>.png`
 * (`i` = the face's index in the detection, largest first). Two inputs with the same name get
 * `<name>-2_<i>.png` and so on. An unreadable image becomes an `error` entry; the others go on.
 */
export async function cropFiles(args: readonly string[], o: CropCommandOptions): Promise<CropEntry[]> {
  const items = await expandInputs(args);
  const detector = await openDetector(o.backend, o.detector);
  const { autoOrient, maxPixels } = detector.options;
  await mkdir(o.out, { recursive: true });
  const entries: CropEntry[] = [];
  const names = new Map<string, number>();
  try {
    for (const item of items) {
      if ('error' in item) {
        entries.push(item);
        o.log(`${item.file}: ${item.error.code}: ${item.error.message}`);
        continue;
      }
      const file = item.file;
      const stem = basename(file, extname(file));
      const seen = (names.get(stem) ?? 0) + 1;
      names.set(stem, seen);
      const name = seen === 1 ? stem : `${stem}-${seen}`;
      try {
        // Decoded as the detector's options say (EXIF rule of the preset, maxPixels before decoding).
        const image = await loadImage(file, { autoOrient, maxPixels });
        const faces = await detector.detect(image);
        const crops: { path: string; face: Face }[] = [];
        for (const [i, face] of faces.entries()) {
          const c = cropFace(image, face, {
            size: o.size,
            margin: o.margin,
            align: o.align,
            boxFormat: detector.options.boxFormat,
          });
          const path = resolve(join(o.out, `${name}_${i}.png`));
          await sharp(c.data, { raw: { width: c.width, height: c.height, channels: 3 } })
            .png()
            .toFile(path);
          crops.push({ path, face });
        }
        entries.push({ file, width: image.width, height: image.height, crops });
        o.log(`${file}: ${crops.length} face${crops.length === 1 ? '' : 's'} cropped`);
      } catch (e) {
        if (!isMtcnnError(e) || e.code === 'DISPOSED' || e.code === 'BACKEND_FAILED' || e.code === 'INVALID_OPTION')
          throw e;
        entries.push({ file, error: { code: e.code, message: e.message } });
        o.log(`${file}: ${e.code}: ${e.message}`);
      }
    }
  } finally {
    detector.dispose();
  }
  return entries;
}

/** `mtcnn crop <images...> --out DIR [--size 112] [--margin 0.2] [--align]` and the detector flags. */
export function registerCrop(
  program: Command,
  io: Pick<Io, 'stdout' | 'stderr'>,
  setExitCode: (code: number) => void,
): void {
  const command = program
    .command('crop')
    .description(
      'Detect faces and write each one as a square PNG crop, <out>/<image name>_<face index>.png; prints what it wrote as JSON.',
    )
    .argument('<images...>', 'image files, directories (searched recursively) or quoted glob patterns')
    .requiredOption('--out <dir>', 'directory for the crops (created if missing)')
    .option(
      '--size <px>',
      'side of the crops in pixels',
      number('--size', (n) => Number.isInteger(n) && n >= 1 && n <= 4096, 'a whole number in [1, 4096]'),
      112,
    )
    .option(
      '--margin <f>',
      'context around the face as a fraction of its side (default 0.2; 0 with --align)',
      number('--margin', (n) => n > -1, 'a number > -1'),
    )
    .option('--align', 'rotate and scale each face onto the ArcFace 5-point template (112x112 at --size 112)')
    .option('-q, --quiet', 'no progress lines on stderr');
  addDetectorOptions(command).action(async (images: string[], o: Record<string, unknown>, cmd: Command) => {
    const { backend, detector } = detectorOptionsFrom(o, cmd);
    const entries = await cropFiles(images, {
      out: o.out as string,
      size: o.size as number,
      margin: o.margin as number | undefined,
      align: o.align === true,
      backend,
      detector,
      log: o.quiet === true ? () => {} : (line) => io.stderr(`${line}\n`),
    });
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
    if (entries.some((e) => 'error' in e)) setExitCode(1);
  });
}
