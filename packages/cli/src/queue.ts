// `mtcnn queue add | work | status | results | clear`: detection over many machines, on a BullMQ
// queue in one Redis (@mtcnn/queue). The CLI expands the arguments and draws the output.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { checkWorkers } from '@mtcnn/runner';
import {
  addImages,
  clearQueue,
  DEFAULT_ATTEMPTS,
  DEFAULT_CHUNK,
  DEFAULT_LOCK_MS,
  DEFAULT_QUEUE,
  DEFAULT_STALLED_MS,
  formatStatus,
  poolDetector,
  queueStatus,
  readResults,
  safeUrl,
  startQueueWorker,
} from '@mtcnn/queue';
import { BACKENDS } from '@mtcnn/backends/node';
import { addDetectorOptions, detectorOptionsFrom } from './detector-options.js';
import { expandInputs } from './inputs.js';
import { JsonlWriter } from './jsonl.js';
import { positiveInt } from './parse.js';
import type { Io } from './program.js';

/** --redis and --queue, on every queue command. */
function addQueueOptions(command: Command): Command {
  return command
    .requiredOption('--redis <url>', 'the Redis every machine of the run shares, redis://HOST:PORT')
    .option('--queue <name>', 'the run (a BullMQ queue) in that Redis', DEFAULT_QUEUE);
}

/** Exit codes of `queue results`: 0 all done, 1 all done with error entries, 3 not all done yet. */
export const RESULTS_INCOMPLETE = 3;

export function registerQueue(program: Command, io: Io, setExitCode: (code: number) => void): void {
  const queue = program
    .command('queue')
    .description(
      'Detect faces over many machines: a run of images on a BullMQ queue in Redis (see docs/scale-out.md).',
    );

  addDetectorOptions(
    addQueueOptions(
      queue
        .command('add')
        .description(
          'Queue images (files, directories, quoted globs) as jobs of ' +
            '--chunk images; images already in the run are not queued again.',
        )
        .argument('<images...>', 'image files, directories (searched recursively) or quoted glob patterns'),
    ),
  )
    .option('--chunk <n>', 'images per job', positiveInt('--chunk'), DEFAULT_CHUNK)
    .option(
      '--attempts <n>',
      'tries per image before it is given up as poison (a crash or detector failure each time)',
      positiveInt('--attempts'),
      DEFAULT_ATTEMPTS,
    )
    .option('--stats', 'add per-stage counts ("stages") to each entry')
    .action(async (images: string[], o: Record<string, unknown>, cmd: Command) => {
      const { backend, detector, autoOrient } = detectorOptionsFrom(o, cmd);
      const items = await expandInputs(images);
      let code = 0;
      for (const item of items) {
        if ('error' in item) {
          io.stderr(`mtcnn: ${item.file}: ${item.error.code}: ${item.error.message}\n`);
          code = 1;
        }
      }
      // Every worker opens the same path: absolute, as seen from here (shared storage mounted alike).
      const files = items.filter((i) => !('error' in i)).map((i) => resolve(i.file));
      const r = await addImages(files, {
        redis: o.redis as string,
        queue: o.queue as string,
        chunk: o.chunk as number,
        run: { backend, detector, autoOrient, stats: o.stats === true, attempts: o.attempts as number },
      });
      io.stderr(
        `queued ${r.added} images in ${r.jobs} jobs on queue ${o.queue as string} at ${safeUrl(o.redis as string)}` +
          (r.known ? ` (${r.known} already in the run)` : '') +
          `; the run has ${r.total} images\n`,
      );
      if (code !== 0) setExitCode(code);
    });

  addQueueOptions(
    queue.command('work').description('Take jobs of the run until SIGTERM (which finishes the current jobs).'),
  )
    .option(
      '--concurrency <n>',
      `jobs in progress at once, each on its own worker thread and core ` +
        `(default: ${availableParallelism()}, the number of cores)`,
      positiveInt('--concurrency'),
    )
    .addOption(
      new Option('--backend <name>', "inference backend (default: the run's, from queue add)").choices(
        Object.keys(BACKENDS),
      ),
    )
    .option(
      '--lock-ms <ms>',
      "a job's lock: a worker that died gives up its job after at most this (plus --stalled-ms)",
      positiveInt('--lock-ms'),
      DEFAULT_LOCK_MS,
    )
    .option(
      '--stalled-ms <ms>',
      'how often to look for jobs of dead workers',
      positiveInt('--stalled-ms'),
      DEFAULT_STALLED_MS,
    )
    .option('--until-done', 'exit (0) once the run is finished: no job waiting, delayed or in progress')
    .option('-q, --quiet', 'no progress lines on stderr (problems still go there)')
    .action(async (o: Record<string, unknown>) => {
      const quiet = o.quiet === true;
      const log = (line: string, kind: 'info' | 'problem' = 'info'): void => {
        if (!quiet || kind === 'problem') io.stderr(`${line}\n`);
      };
      const concurrency = checkWorkers(
        (o.concurrency as number | undefined) ?? availableParallelism(),
        '--concurrency',
      );
      const worker = await startQueueWorker({
        redis: o.redis as string,
        queue: o.queue as string,
        concurrency,
        backend: o.backend as string | undefined,
        lockDuration: o.lockMs as number,
        stalledInterval: o.stalledMs as number,
        detector: poolDetector(concurrency),
        log,
        untilDone: o.untilDone === true,
      });
      log(
        `mtcnn queue work: ${worker.name} on queue ${o.queue as string} ` +
          `at ${safeUrl(o.redis as string)}; SIGTERM finishes the jobs in progress and exits`,
      );
      await new Promise<void>((done) => {
        const stop = (signal: NodeJS.Signals): void => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          io.stderr(`mtcnn queue work: ${signal}: finishing the jobs in progress\n`);
          // A second signal abandons them (another worker takes them over after --lock-ms).
          const force = (): void => {
            io.stderr('mtcnn queue work: stopping now; the jobs in progress go back to the queue\n');
            setExitCode(130);
            void worker.close(true).then(done);
          };
          process.once('SIGTERM', force);
          process.once('SIGINT', force);
          void worker.close().then(() => {
            process.off('SIGTERM', force);
            process.off('SIGINT', force);
            done();
          });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
        // --until-done: the worker closes by itself.
        void worker.closed.then(() => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          done();
        });
      });
    });

  addQueueOptions(queue.command('status').description('Images done, jobs by state, workers, throughput and ETA.'))
    .option('--json', 'one JSON object instead of text')
    .action(async (o: Record<string, unknown>) => {
      const s = await queueStatus({ redis: o.redis as string, queue: o.queue as string });
      io.stdout(o.json === true ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
    });

  addQueueOptions(
    queue
      .command('results')
      .description(
        'Every image of the run once, in input order, as JSON lines (errors as {file, error}); images not ' +
          'done yet are counted on stderr. Exit 0: all done; 1: all done, some errors; 3: not all done yet.',
      ),
  )
    .option('-o, --output <file.jsonl>', 'write the JSON lines to this file (default: stdout)')
    .action(async (o: Record<string, unknown>) => {
      const output = o.output as string | undefined;
      const writer = output ? new JsonlWriter(output, 'truncate') : undefined;
      let s: Awaited<ReturnType<typeof readResults>>;
      try {
        s = await readResults({ redis: o.redis as string, queue: o.queue as string }, (e) =>
          writer ? writer.write(e) : io.stdout(`${JSON.stringify(e)}\n`),
        );
      } finally {
        writer?.close();
      }
      io.stderr(
        `${s.written} of ${s.images} images${output ? ` written to ${output}` : ''} (${s.errors} errors)` +
          (s.pending
            ? `; ${s.pending} pending (not done ` +
              `yet): ${s.pendingFiles.join(', ')}${s.pending > s.pendingFiles.length ? ', ...' : ''}`
            : '') +
          (s.missingJobs ? `; ${s.missingJobs} jobs missing from Redis (add their images again)` : '') +
          '\n',
      );
      if (s.pending > 0 || s.missingJobs > 0) setExitCode(RESULTS_INCOMPLETE);
      else if (s.errors > 0) setExitCode(1);
    });

  addQueueOptions(
    queue
      .command('clear')
      .description('Delete the run from Redis: its jobs, results and records (in-progress jobs too).'),
  ).action(async (o: Record<string, unknown>) => {
    await clearQueue({ redis: o.redis as string, queue: o.queue as string });
    io.stderr(`cleared queue ${o.queue as string} at ${safeUrl(o.redis as string)}\n`);
  });
}
