import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { MtcnnError, resolveOptions, type DetectorOptions } from '@mtcnn/core';
import { checkWorkers, openPool, runTasks, threadsPerWorker, type DetectorPool, type TaskSpec } from '@mtcnn/runner';
import type { BackendName } from './backends.js';
import { logLines, toEntry, type DetectEntry } from './detect.js';
import { expandInputs } from './inputs.js';
import { JsonlWriter, readJsonl } from './jsonl.js';
import { barProgress, lineProgress, silentProgress, type Progress } from './progress.js';
import { failureOf, formatSummary } from './summary.js';

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
  /** Start an existing, non-empty output file over. */
  overwrite: boolean;
  quiet: boolean;
}

export interface BatchIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A terminal to draw the progress bar on; without one, progress is one line per image. */
  progressStream?: NodeJS.WriteStream;
}

function usage(message: string): MtcnnError {
  return new MtcnnError('INVALID_OPTION', message);
}

/** Entries already in the output file, by resolved path; the last line for a file wins. */
function previousEntries(output: string): Map<string, DetectEntry> {
  const byFile = new Map<string, DetectEntry>();
  for (const r of readJsonl(output).records) {
    if (typeof r.file === 'string') byFile.set(resolve(r.file), r as unknown as DetectEntry);
  }
  return byFile;
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
  const toFile = o.output !== undefined && o.output !== '-' ? o.output : undefined;
  if (toFile && !o.resume && !o.overwrite) {
    let size = 0;
    try {
      size = statSync(toFile).size;
    } catch {
      // does not exist yet: fine
    }
    if (size > 0)
      throw usage(`${toFile} already has results: pass --resume to continue it, or --overwrite to start it over.`);
  }

  const items = await expandInputs(args);
  const previous = toFile && o.resume ? previousEntries(toFile) : new Map<string, DetectEntry>();
  const entries: (DetectEntry | undefined)[] = new Array(items.length);
  const tasks: TaskSpec[] = [];
  const taskIndex: number[] = []; // each task's position among the items
  let skipped = 0;
  items.forEach((item, index) => {
    const before = previous.get(resolve(item.file));
    if (before) {
      entries[index] = before;
      skipped++;
    } else if ('error' in item) {
      entries[index] = item;
    } else {
      tasks.push({ source: { file: item.file }, stats: o.stats, label: item.file });
      taskIndex.push(index);
    }
  });

  const writer = toFile ? new JsonlWriter(toFile, o.resume ? 'append' : 'truncate') : undefined;
  const emitLine = writer
    ? (e: DetectEntry) => writer.write(e)
    : o.output === '-'
      ? (e: DetectEntry) => io.stdout(`${JSON.stringify(e)}\n`)
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
  if (fatal) {
    const code = fatal instanceof MtcnnError ? `${fatal.code}: ` : '';
    io.stderr(`mtcnn: ${code}${fatal.message}\n`);
    if (toFile) io.stderr(`mtcnn: the results so far are in ${toFile}; run again with --resume to continue.\n`);
    return 2;
  }
  const done = entries as DetectEntry[];
  if (o.output === undefined) io.stdout(`${JSON.stringify(done, null, 2)}\n`); // the input-ordered array
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
