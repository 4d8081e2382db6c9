import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { DEFAULT_OPTIONS, type DetectorOptions } from '@mtcnn/core';
import { createServer, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, serveUntilSignal } from '@mtcnn/server';
import type { Io } from './program.js';
import { addDetectorOptions, detectorOptionsFrom } from './detector-options.js';
import { number, positiveInt } from './parse.js';

/**
 * `mtcnn serve`: the HTTP detection service (@mtcnn/server) until SIGTERM / SIGINT, which finish
 * the requests in flight and exit 0. Logs are pino JSON lines on stdout.
 */
export function registerServe(program: Command, io: Io): void {
  addDetectorOptions(
    program
      .command('serve')
      .description(
        'Serve detection over HTTP: POST /v1/detect (JSON faces), POST /v1/report (HTML), ' +
          '/healthz, /readyz, /metrics, /openapi.json. Detector flags set the defaults; ' +
          'requests override them with query parameters (min_face, thresholds, ...).',
      )
      .option(
        '--port <n>',
        'TCP port (0 = any free port)',
        number('--port', (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number from 0 to 65535'),
        8080,
      )
      .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
      .option(
        '--workers <n>',
        `detection worker threads, one detector each ` +
          `(default: ${availableParallelism()}, the number of cores; at most 4 per core)`,
        positiveInt('--workers'),
      )
      .option(
        '--queue-size <n>',
        'requests that may wait for a worker; then 503 + Retry-After (default 4 x workers)',
        number('--queue-size', (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0'),
      )
      .option(
        '--timeout-ms <ms>',
        `per-request limit (queue + detection); then 504 (default ${DEFAULT_TIMEOUT_MS})`,
        positiveInt('--timeout-ms'),
      )
      .option(
        '--max-bytes <n>',
        `largest request body; then 413 (default ${DEFAULT_MAX_BYTES}, 20 MiB)`,
        positiveInt('--max-bytes'),
      )
      .option(
        '--max-pixels <n>',
        `largest image, checked from its header before decoding; then 413 (default ${DEFAULT_OPTIONS.maxPixels})`,
        positiveInt('--max-pixels'),
      ),
  )
    .addOption(
      new Option('--log-level <level>', 'pino log level')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
    )
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      // The flags given are the requests' defaults (what is left out, the preset decides).
      const { backend, detector } = detectorOptionsFrom(o, cmd);
      const defaults: DetectorOptions = { ...detector };
      if (o.maxPixels !== undefined) defaults.maxPixels = o.maxPixels as number;
      const server = await createServer({
        backend,
        workers: o.workers as number | undefined,
        queueSize: o.queueSize as number | undefined,
        timeoutMs: o.timeoutMs as number | undefined,
        maxBytes: o.maxBytes as number | undefined,
        detector: defaults,
        logger: { level: o.logLevel as string },
      });
      const signal = await serveUntilSignal(server, { port: o.port as number, host: o.host as string }, (address) =>
        io.stderr(
          `mtcnn serve: listening on ${address} (${server.options.workers} ${server.options.backend} workers)\n`,
        ),
      );
      io.stderr(`mtcnn serve: ${signal}: stopped after finishing the requests in flight\n`);
    });
}
