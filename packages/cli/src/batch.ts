import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MtcnnError, resolveOptions, type DetectorOptions } from '@mtcnn/core';
import { checkWorkers, openPool, runTasks, threadsPerWorker, type DetectorPool, type TaskSpec } from '@mtcnn/runner';
import type { BackendName } from '@mtcnn/backends/node';
import { logLines, toEntry, type DetectEntry } from './detect.js';
import { expandInputs } from './inputs.js';
import type { AnnotateTarget } from './annotate.js';
import { isDetectEntry, JsonlWriter, outputKind, readJsonl } from './jsonl.js';
import { lockOutput } from './lock.js';
import { outputPath, outputStems } from './outputs.js';
import { barProgress, lineProgress, silentProgress, type Progress } from './progress.js';
import { failureOf, formatSummary } from './summary.js';
import { printable } from './escape.js';

export interface BatchOptions {
  backend: BackendName;
  detector: DetectorOptions;
  /** Add the stage counts (`stages`) to each entry. */
  stats: boolean;
  /** Write each image with its faces drawn, as PNG, into this directory. */
  annotate?: string;
  autoOrient: boolean;
  /** Worker threads, each with its own detector: 1 to `maxWorkers()` (4 per core). */
  jobs: number;
  /** JSONL file (or `-` for stdout) written as images finish; without it, one JSON array at the end. */
  output?: string;
  /** Keep the output file and skip the images it already has. */
  resume: boolean;
  /** Start an existing, non-empty output file over, and replace existing --annotate images. */
  overwrite: boolean;
  quiet: boolean;
  /** Time limit per image, in seconds (`TIMEOUT` past it). */
  timeout?: number;
}

/** Thrown by `BatchIo.stdout` once stdout's reader is gone (`mtcnn detect -o - | head`). */
export class BrokenPipe extends Error {
  readonly code = 'EPIPE';
  constructor() {
    super('stdout was closed by its reader');
    this.name = 'BrokenPipe';
  }
}

/** The exit code of a run whose stdout reader went away: 128 + SIGPIPE, as the shell shows a process killed by it. */
export const EXIT_BROKEN_PIPE = 141;

export interface BatchIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A terminal to draw the progress bar on; without one, progress is one line per image. */
  progressStream?: NodeJS.WriteStream;
}

function usage(message: string): MtcnnError {
  return new MtcnnError('INVALID_OPTION', message);
}

/**
 * Entries already in the output file, by the image's absolute path (`path`, written with each
 * line; a line of an older file without it: `file` resolved here). The last line for a file wins.
 * A damaged line (not JSON, or not an entry) is reported through `warn`; its image, having no
 * entry, is processed again.
 */
function previousEntries(output: string, warn: (line: string) => void): Map<string, DetectEntry> {
  const byFile = new Map<string, DetectEntry>();
  const { records, lineNumbers, badLineNumbers } = readJsonl(output);
  const damaged = [...(badLineNumbers ?? [])];
  records.forEach((r, i) => {
    if (!isDetectEntry(r)) {
      damaged.push(lineNumbers?.[i] ?? 0);
      return;
    }
    const key = typeof r.path === 'string' ? r.path : resolve(r.file as string);
    byFile.set(key, r as unknown as DetectEntry);
  });
  if (damaged.length > 0) {
    damaged.sort((a, b) => a - b);
    const shown = damaged.slice(0, 10).join(', ') + (damaged.length > 10 ? `, ... (${damaged.length} in all)` : '');
    warn(
      `mtcnn: warning: ${output}: ` +
        `line${damaged.length === 1 ? '' : 's'} ${shown} ${damaged.length === 1 ? 'is' : 'are'} ` +
        `not a detect entry (damaged: a crash, a full disk or two runs ` +
        `at once?); ignored, so their images are processed again.`,
    );
  }
  return byFile;
}

/** Usage errors about --output `toFile`, found before any work (and before anything is written). */
function checkOutputFile(toFile: string, o: BatchOptions): 'file' | 'other' {
  const kind = outputKind(toFile);
  if (kind === 'directory')
    throw usage(`${toFile} is a directory: --output takes a file, e.g. ${join(toFile, 'faces.jsonl')}.`);
  if (kind === 'missing') {
    let parent: import('node:fs').Stats | undefined;
    try {
      parent = statSync(dirname(resolve(toFile)));
    } catch {
      // reported below
    }
    if (!parent?.isDirectory())
      throw usage(`Cannot write ${toFile}: its directory ${dirname(toFile)} does not exist (create it first).`);
  }
  if (kind === 'other') {
    // A device or a pipe (/dev/stdout, a named pipe): written to as it is, never read or truncated.
    if (o.resume) throw usage(`--resume needs a regular file to continue; ${toFile} is not one.`);
    return 'other';
  }
  if (kind === 'foreign')
    throw usage(
      `${toFile} is not an mtcnn JSONL file (no line of it is a detect entry): refusing ` +
        `to ${o.resume ? 'append to' : 'replace'} it. Choose another --output file.`,
    );
  if (kind === 'jsonl' && !o.resume && !o.overwrite)
    throw usage(`${toFile} already has results: pass --resume to continue it, or --overwrite to start it over.`);
  return 'file';
}

/**
 * `mtcnn detect` over any number of files, directories and glob patterns. Returns the exit code:
 * 0 when every image has a result, 1 when any image failed (this run's or a resumed one).
 * Throws `MtcnnError('INVALID_OPTION')` for bad options before any work starts.
 */
export async function runBatch(args: readonly string[], o: BatchOptions, io: BatchIo): Promise<number> {
  resolveOptions(o.detector); // bad options fail here, once, not in every worker
  checkWorkers(o.jobs, '--jobs'); // bounded: every worker holds a backend (-j 1000 once took 12 GB)
  if (o.resume && (o.output === undefined || o.output === '-'))
    throw usage('--resume needs --output FILE.jsonl (the file to continue).');
  if (o.resume && o.overwrite) throw usage('--resume and --overwrite contradict each other; pick one.');
  if (o.timeout !== undefined && !(o.timeout > 0 && o.timeout <= 2_147_483))
    throw usage(`--timeout must be a number of seconds in (0, 2147483], got ${o.timeout}.`);
  const toFile = o.output !== undefined && o.output !== '-' ? o.output : undefined;
  const outputIs = toFile ? checkOutputFile(toFile, o) : undefined;
  const warn = (line: string): void => io.stderr(`${printable(line)}\n`);

  const items = await expandInputs(args);
  const inputs = new Set(items.filter((i) => !('error' in i)).map((i) => resolve(i.file)));
  if (toFile && inputs.has(resolve(toFile)))
    throw usage(`--output ${toFile} is one of the input images: choose another file.`);
  // --annotate: one PNG per input under DIR, named by its path relative to the inputs' common
  // directory (outputs.ts), never an input.
  const annotateTo = new Map<string, string>();
  if (o.annotate) {
    const files = items.filter((i) => !('error' in i)).map((i) => i.file);
    const stems = outputStems(files);
    files.forEach((f, k) => {
      const target = outputPath(o.annotate!, stems[k], '.png');
      if (inputs.has(resolve(target)))
        throw usage(
          `--annotate ${o.annotate} would replace the input ${target}: choose a directory apart from the inputs.`,
        );
      annotateTo.set(f, target);
    });
  }

  const release = toFile && outputIs === 'file' ? await lockOutput(toFile, warn) : undefined;
  try {
    return await runLocked(items, o, io, toFile, annotateTo, warn);
  } finally {
    await release?.();
  }
}

async function runLocked(
  items: Awaited<ReturnType<typeof expandInputs>>,
  o: BatchOptions,
  io: BatchIo,
  toFile: string | undefined,
  annotateTo: ReadonlyMap<string, string>,
  warn: (line: string) => void,
): Promise<number> {
  const previous = toFile && o.resume ? previousEntries(toFile, warn) : new Map<string, DetectEntry>();
  const entries: (DetectEntry | undefined)[] = new Array(items.length);
  const tasks: TaskSpec[] = [];
  const taskIndex: number[] = []; // each task's position among the items
  let skipped = 0;
  items.forEach((item, index) => {
    const before = previous.get(resolve(item.file));
    // With --annotate, an image whose annotation failed last time is done again.
    if (before && !(o.annotate && 'annotation_error' in before)) {
      entries[index] = before;
      skipped++;
    } else if ('error' in item) {
      entries[index] = item;
    } else {
      const target = annotateTo.get(item.file);
      const hookData: AnnotateTarget | undefined = target
        ? { path: target, overwrite: o.overwrite || o.resume } // a resumed run may redo its own files
        : undefined;
      tasks.push({
        source: { file: item.file },
        stats: o.stats,
        label: item.file,
        hookData,
        timeoutMs: o.timeout !== undefined ? Math.ceil(o.timeout * 1000) : undefined,
      });
      taskIndex.push(index);
    }
  });

  let writer: JsonlWriter | undefined;
  try {
    writer = toFile ? new JsonlWriter(toFile, o.resume ? 'append' : 'truncate') : undefined;
  } catch (e) {
    throw usage(`Cannot write ${toFile}: ${(e as Error).message}`);
  }
  // JSONL lines carry the image's absolute path too: --resume matches on it, from any directory.
  const line = (e: DetectEntry) => ({ ...e, path: resolve(e.file) });
  const emitLine = writer
    ? (e: DetectEntry) => {
        try {
          writer.write(line(e));
        } catch (err) {
          // A full disk (ENOSPC), a lost device: the run stops once the images in flight are done.
          throw new Error(`Cannot write ${toFile}: ${(err as Error).message}`);
        }
      }
    : o.output === '-'
      ? (e: DetectEntry) => io.stdout(`${JSON.stringify(line(e))}\n`)
      : undefined;
  const progress: Progress = o.quiet
    ? silentProgress()
    : io.progressStream
      ? barProgress(io.progressStream)
      : lineProgress((line) => io.stderr(`${line}\n`));

  const t0 = performance.now();
  const jobs = Math.max(1, Math.min(o.jobs, tasks.length));
  let fatal: Error | undefined;
  let pool: DetectorPool | undefined;
  try {
    // Arguments that matched nothing are results too, written first (they need no work).
    items.forEach((item, index) => {
      if ('error' in item && entries[index] === item) {
        emitLine?.(item);
        progress.note(`${item.file}: ${item.error.code}: ${item.error.message}`);
      }
    });
    progress.start(items.length, items.length - tasks.length);
    if (tasks.length > 0) {
      pool = await openPool({
        workers: jobs,
        backend: o.backend,
        detector: { ...o.detector, autoOrient: o.autoOrient },
        // Fewer images than workers asked for (e.g. one image): the workers share the idle ones' threads.
        threads: threadsPerWorker(o.jobs, jobs),
        workerUrl: new URL(import.meta.url.endsWith('.ts') ? '../dist/worker.js' : './worker.js', import.meta.url),
        extra: { annotate: o.annotate },
      });
      await runTasks(pool, tasks, (k, r) => {
        const index = taskIndex[k];
        const file = items[index].file;
        entries[index] = toEntry(file, r);
        emitLine?.(entries[index]); // JSONL: as each image finishes, tagged by file
        progress.tick(logLines(file, r), 'error' in r);
      });
    }
  } catch (e) {
    // A worker could not start, or the output could not be written: nothing sensible can go on.
    fatal = e as Error;
  } finally {
    await pool?.close();
    progress.stop();
    writer?.close();
  }
  if (fatal instanceof BrokenPipe) return EXIT_BROKEN_PIPE; // the reader has what it wanted: no message
  if (fatal) {
    const code = fatal instanceof MtcnnError ? `${fatal.code}: ` : '';
    io.stderr(`${printable(`mtcnn: ${code}${fatal.message}`)}\n`);
    if (toFile)
      io.stderr(`${printable(`mtcnn: the results so far are in ${toFile}; run again with --resume to continue.`)}\n`);
    return 2;
  }
  const done = entries as DetectEntry[];
  if (o.output === undefined) {
    try {
      io.stdout(`${JSON.stringify(done, null, 2)}\n`); // the input-ordered array
    } catch (e) {
      if (e instanceof BrokenPipe) return EXIT_BROKEN_PIPE;
      throw e;
    }
  }
  const failures = done.map(failureOf).filter((f) => f !== undefined);
  if (!o.quiet) {
    io.stderr(
      formatSummary({
        total: items.length,
        skipped,
        processed: tasks.length,
        failures,
        seconds: (performance.now() - t0) / 1000,
        jobs,
        output: toFile,
      }),
    );
  }
  return failures.length > 0 ? 1 : 0;
}
