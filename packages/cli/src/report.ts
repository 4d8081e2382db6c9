import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveOptions, type DetectorOptions } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { reportHtml } from '@mtcnn/runner';
import { openDetector, type BackendName } from '@mtcnn/backends/node';
import type { Io } from './program.js';
import { addDetectorOptions, detectorOptionsFrom } from './detector-options.js';

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
  const detector = await openDetector(o.backend, o.detector);
  try {
    const image = await loadImage(file, { autoOrient: o.autoOrient });
    const report = await detector.detectWithStats(image, { trace: true });
    const html = await reportHtml(image, report.trace!, basename(file), detector.backend.name);
    const output = resolve(o.output);
    await writeFile(output, html);
    return { file, output, faces: report.faces.length, bytes: Buffer.byteLength(html) };
  } finally {
    detector.dispose();
  }
}

export function registerReport(program: Command, io: Io): void {
  addDetectorOptions(
    program
      .command('report')
      .description(
        'Write a self-contained HTML report of every stage (pyramid, P-Net, ' +
          'candidates, NMS, R-Net, O-Net) for one image; prints a JSON summary.',
      )
      .argument('<image>', 'image file')
      .option('-o, --output <file.html>', 'the HTML file to write', 'report.html'),
    { boxFormat: false },
  )
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (image: string, o: Record<string, unknown>, cmd: Command) => {
      const result = await writeReport(image, {
        ...detectorOptionsFrom(o, cmd),
        output: o.output as string,
      });
      if (!o.quiet)
        io.stderr(
          `${image}: ${result.faces} face${result.faces === 1 ? '' : 's'}; ` +
            `wrote ${result.output} (${(result.bytes / 1e6).toFixed(1)} MB)\n`,
        );
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    });
}
