import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import sharp from 'sharp';
import { cropFace, isMtcnnError, MtcnnError, type DetectorOptions, type Face } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { openDetector, type BackendName } from '@mtcnn/backends/node';
import { addDetectorOptions, detectorOptionsFrom } from './detector-options.js';
import { expandInputs } from './inputs.js';
import type { Io } from './program.js';
import { number } from './parse.js';
import { OutputError, outputPath, outputStems, writeOutput } from './outputs.js';
import { printable } from './escape.js';

export interface CropCommandOptions {
  out: string;
  size: number;
  /** Default 0.2 for box crops, 0 with `align` (the exact ArcFace crop). */
  margin?: number;
  align: boolean;
  backend: BackendName;
  /** The detector flags' options (`detectorOptionsFrom`): also how images are decoded. */
  detector: DetectorOptions;
  /** Replace crops that exist already (never an input). */
  overwrite?: boolean;
  log: (line: string) => void;
}

/** One face's crop: written at `path`, or not written (`error`: `OUTPUT_EXISTS`, `WRITE_FAILED`). */
export type CropItem =
  | { path: string; face: Face }
  | { path: string; face: Face; error: { code: string; message: string } };

export type CropEntry =
  | { file: string; width: number; height: number; crops: CropItem[] }
  | { file: string; error: { code: string; message: string } };

/** Whether the entry failed: the image, or any of its crops. */
export function cropFailed(e: CropEntry): boolean {
  return 'error' in e || e.crops.some((c) => 'error' in c);
}

/**
 * For each image: detect, crop every face (`extractFaces`' rules), write `<out>/<name>_<i>.png`
 * (`i` = the face's index in the detection, largest first). `<name>` is the image's path relative
 * to the inputs' common directory, without its extension (`c1/x`, `c2/x`), unique per input
 * (outputs.ts). An existing file is not replaced without `overwrite`, an input never. An
 * unreadable image becomes an `error` entry, a crop that cannot be written an `error` beside its
 * face; the others go on.
 */
export async function cropFiles(args: readonly string[], o: CropCommandOptions): Promise<CropEntry[]> {
  const items = await expandInputs(args);
  const detector = await openDetector(o.backend, o.detector);
  // Decoded as the detector's options say (EXIF rule of the preset, maxPixels and maxFileBytes before decoding).
  const { autoOrient, maxPixels, maxFileBytes } = detector.options;
  const entries: CropEntry[] = [];
  const files = items.filter((i) => !('error' in i)).map((i) => i.file);
  const stems = new Map(outputStems(files).map((stem, k) => [files[k], stem]));
  const inputs = new Set(files.map((f) => resolve(f)));
  try {
    await mkdir(o.out, { recursive: true });
  } catch (e) {
    detector.dispose();
    throw new MtcnnError('INVALID_OPTION', `Cannot create --out ${o.out}: ${(e as Error).message}`);
  }
  try {
    for (const item of items) {
      if ('error' in item) {
        entries.push(item);
        o.log(`${item.file}: ${item.error.code}: ${item.error.message}`);
        continue;
      }
      const file = item.file;
      const name = stems.get(file)!;
      try {
        const image = await loadImage(file, { autoOrient, maxPixels, maxFileBytes });
        const faces = await detector.detect(image);
        const crops: CropItem[] = [];
        for (const [i, face] of faces.entries()) {
          const c = cropFace(image, face, {
            size: o.size,
            margin: o.margin,
            align: o.align,
            boxFormat: detector.options.boxFormat,
          });
          const path = resolve(outputPath(o.out, name, `_${i}.png`));
          const png = await sharp(c.data, { raw: { width: c.width, height: c.height, channels: 3 } })
            .png()
            .toBuffer();
          try {
            await writeOutput(path, png, { overwrite: o.overwrite === true, inputs });
            crops.push({ path, face });
          } catch (e) {
            if (!(e instanceof OutputError)) throw e;
            crops.push({ path, face, error: { code: e.code, message: e.message } });
            o.log(`${file}: crop ${i} not written: ${e.code}: ${e.message}`);
          }
        }
        entries.push({ file, width: image.width, height: image.height, crops });
        const written = crops.filter((c) => !('error' in c)).length;
        o.log(
          `${file}: ${written} face${written === 1 ? '' : 's'} ` +
            `cropped${written < crops.length ? ` (${crops.length - written} not written)` : ''}`,
        );
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
      'Detect faces and write each one as a square PNG crop, <out>/<image ' +
        'name>_<face index>.png; prints what it wrote as JSON.',
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
    .option('--overwrite', 'replace crops that exist already (an input image is never replaced)')
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
      overwrite: o.overwrite === true,
      log: o.quiet === true ? () => {} : (line) => io.stderr(`${printable(line)}\n`),
    });
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
    if (entries.some(cropFailed)) setExitCode(1);
  });
}
