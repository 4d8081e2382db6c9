import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import sharp from 'sharp';
import { createDetector, resolveOptions, type DetectorOptions } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { buildReportHtml } from '@mtcnn/visualizer/report-html';
import { BACKENDS, DEFAULT_BACKEND, type BackendName } from './backends.js';
import type { Io } from './program.js';
import { number, numberList } from './parse.js';

/**
 * `mtcnn report <image> -o report.html`: detects with the stage trace on, then writes one
 * self-contained HTML file (the visualizer's report viewer inlined, the image and trace embedded)
 * that shows every stage offline.
 */
export interface ReportOptions {
  backend: BackendName;
  detector: DetectorOptions;
  autoOrient: boolean;
  output: string;
}

export interface ReportResult {
  file: string;
  output: string;
  faces: number;
  bytes: number;
}

export async function writeReport(file: string, o: ReportOptions): Promise<ReportResult> {
  resolveOptions(o.detector); // throws INVALID_OPTION before the backend loads
  const backend = await BACKENDS[o.backend]();
  let detector;
  try {
    detector = createDetector(backend, o.detector);
  } catch (e) {
    backend.dispose();
    throw e;
  }
  try {
    const image = await loadImage(file, { autoOrient: o.autoOrient });
    const report = await detector.detectWithStats(image, { trace: true });
    // PNG of the decoded pixels: the report's crops are then exactly what the networks saw.
    const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
    const html = await buildReportHtml({ trace: report.trace!, png, name: basename(file), backend: backend.name });
    const output = resolve(o.output);
    await writeFile(output, html);
    return { file, output, faces: report.faces.length, bytes: Buffer.byteLength(html) };
  } finally {
    detector.dispose();
  }
}

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('Write a self-contained HTML report of every stage (pyramid, P-Net, candidates, NMS, R-Net, O-Net) for one image; prints a JSON summary.')
    .argument('<image>', 'image file')
    .option('-o, --output <file.html>', 'the HTML file to write', 'report.html')
    .addOption(new Option('--backend <name>', 'inference backend').choices(Object.keys(BACKENDS)).default(DEFAULT_BACKEND))
    .addOption(new Option('--preset <name>', "'reference' = facenet-pytorch exactly").choices(['default', 'reference']))
    .option('--min-face <px>', 'smallest face side to find (>= 12; default 20)', number('--min-face'))
    .option('--scale-factor <f>', 'pyramid scale step in (0, 1) (default 0.709)', number('--scale-factor'))
    .option('--thresholds <a,b,c>', 'P-Net, R-Net, O-Net score thresholds (default 0.6,0.7,0.7)', numberList(3))
    .option('--nms <a,b,c,d>', 'NMS thresholds: P-Net per scale, across scales, R-Net, O-Net Min (default 0.5,0.7,0.7,0.7)', numberList(4))
    .addOption(new Option('--border <mode>', 'out-of-image part of a crop: grey-pad (default), zero-pad (black) or stretch (reference)').choices(['grey-pad', 'zero-pad', 'stretch']))
    .option('--no-auto-orient', 'do not apply the EXIF orientation (off with --preset reference)')
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (image: string, o: Record<string, unknown>, cmd: Command) => {
      const explicitOrient = cmd.getOptionValueSource('autoOrient') === 'cli';
      const result = await writeReport(image, {
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
        output: o.output as string,
      });
      if (!o.quiet) io.stderr(`${image}: ${result.faces} face${result.faces === 1 ? '' : 's'}; wrote ${result.output} (${(result.bytes / 1e6).toFixed(1)} MB)\n`);
      io.stdout(JSON.stringify(result, null, 2) + '\n');
    });
}
