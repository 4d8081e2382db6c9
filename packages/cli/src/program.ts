import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { MtcnnError } from '@mtcnn/core';
import { BrokenPipe, EXIT_BROKEN_PIPE, runBatch } from './batch.js';
import { printable } from './escape.js';
import { registerCrop } from './crop.js';
import { registerExportOnnx } from './export-onnx.js';
import { registerQueue } from './queue.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { addDetectorOptions, detectorOptionsFrom } from './detector-options.js';
import { number, positiveInt } from './parse.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr when it is a terminal: batch runs draw their progress bar on it. */
  progressStream?: NodeJS.WriteStream;
}

/** This package's version (src/ and dist/ both sit one level below package.json). */
export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** The `mtcnn` command. `run` resolves to the exit code. */
export function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('mtcnn')
    .description('Detect faces with the MTCNN cascade (P-Net, R-Net, O-Net).')
    .version(VERSION, '-V, --version', 'print the version of @mtcnn/cli')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  addDetectorOptions(
    program
      .command('detect')
      .description(
        'Detect faces; prints one JSON array to stdout, one entry per ' +
          'image, in input order (or JSON lines with --output).',
      )
      .argument(
        '<images...>',
        'image files (JPEG, PNG, WebP, GIF, AVIF, TIFF), directories (searched recursively) or quoted glob patterns',
      ),
  )
    .option('--stats', 'add per-stage counts ("stages") to each entry')
    .option('--annotate <dir>', 'write each image with its boxes and landmarks drawn, as PNG, into <dir>')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option(
      '-o, --output <file.jsonl>',
      "write one JSON line per image to <file.jsonl> as each finishes (nothing on stdout); '-' = JSON lines on stdout",
    )
    .option('--resume', 'continue --output: skip the images it already has (one run at a time: the file is locked)')
    .option('--overwrite', 'start an existing --output file over, and replace existing --annotate images')
    .option(
      '--timeout <seconds>',
      'time limit per image (decoding included); past it the image is a TIMEOUT error entry',
      number('--timeout', (n) => n > 0 && n <= 2_147_483, 'a number of seconds in (0, 2147483]'),
    )
    .option(
      '-j, --jobs <n>',
      `worker threads, each with its own detector (default: ${availableParallelism()}, the number of cores)`,
      positiveInt('--jobs'),
    )
    .action(async (images: string[], o: Record<string, unknown>, cmd: Command) => {
      const { backend, detector, autoOrient } = detectorOptionsFrom(o, cmd);
      const code = await runBatch(
        images,
        {
          backend,
          detector,
          stats: o.stats === true,
          annotate: o.annotate as string | undefined,
          autoOrient,
          jobs: (o.jobs as number | undefined) ?? availableParallelism(),
          output: o.output as string | undefined,
          resume: o.resume === true,
          overwrite: o.overwrite === true,
          quiet: o.quiet === true,
          timeout: o.timeout as number | undefined,
        },
        io,
      );
      if (code !== 0) setExitCode(code);
    });
  registerExportOnnx(program, io);
  registerCrop(program, io, setExitCode);
  registerReport(program, io);
  registerServe(program, io);
  registerQueue(program, io, setExitCode);
  return program;
}

/** Parse `argv` (without node and script) and run. Returns the process exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) {
      // Usage errors exit 2, never 1: 1 means "some image failed" (commander's own default is 1).
      return ce.code === 'commander.helpDisplayed' || ce.code === 'commander.version' ? 0 : 2;
    }
    if (e instanceof BrokenPipe) return EXIT_BROKEN_PIPE;
    if (e instanceof MtcnnError) {
      io.stderr(`${printable(`mtcnn: ${e.code}: ${e.message}`)}\n`);
      return 2;
    }
    throw e;
  }
  return code;
}
