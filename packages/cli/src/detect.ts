import { basename, extname, join } from 'node:path';
import type { DetectorOptions } from '@mtcnn/core';
import { detectImage, type DetectEntry, type TaskResult } from '@mtcnn/runner';
import { annotateAfterDetect } from './annotate.js';
import { openDetector, type BackendName } from '@mtcnn/backends/node';

// The entry format lives in @mtcnn/runner (the server and the queue answer with it too).
export { cliStages, type CliStages, type DetectEntry } from '@mtcnn/runner';

export interface DetectCommandOptions {
  backend: BackendName;
  detector: DetectorOptions;
  stats: boolean;
  annotate?: string;
  autoOrient: boolean;
  log: (line: string) => void;
}

/** An entry whose detection stands but whose --annotate image could not be written. */
export type AnnotationFailure = { annotation_error: { code: string; message: string } };

/**
 * The CLI's entry for `file` from a runner result (which does not name its file). A failed
 * --annotate write is `annotation_error` beside the faces: the detection is not lost.
 */
export function toEntry(file: string, r: TaskResult): DetectEntry {
  if ('error' in r) return { file, error: r.error };
  const entry: DetectEntry & Partial<AnnotationFailure> = { file, ...r.entry };
  if (r.afterDetectError) entry.annotation_error = r.afterDetectError;
  return entry;
}

/** What to tell the user about one image (stderr lines). */
export function logLines(file: string, r: TaskResult): string[] {
  if ('error' in r) return [`${file}: ${r.error.code}: ${r.error.message}`];
  const { width, height, faces } = r.entry;
  const n = faces.length;
  const lines = [
    `${file}: ${n} face${n === 1 ? '' : 's'} (${width}x${height}, ${r.timings.total.toFixed(0)} ms)`,
    ...r.log,
  ];
  if (r.afterDetectError)
    lines.push(`${file}: annotation not written: ${r.afterDetectError.code}: ${r.afterDetectError.message}`);
  return lines;
}

/**
 * Detect faces in each file, in order, on this thread (`mtcnn detect` runs the batch in worker
 * threads: batch.ts). A file that fails becomes an `error` entry; the others go on. Options are
 * validated before the backend loads.
 */
export async function detectFiles(files: readonly string[], o: DetectCommandOptions): Promise<DetectEntry[]> {
  const detector = await openDetector(o.backend, { ...o.detector, autoOrient: o.autoOrient });
  const entries: DetectEntry[] = [];
  try {
    for (const file of files) {
      const r = await detectImage(
        detector,
        {
          source: { file },
          stats: o.stats,
          label: file,
          hookData: o.annotate
            ? { path: join(o.annotate, `${basename(file, extname(file))}.png`), overwrite: false }
            : undefined,
        },
        { afterDetect: annotateAfterDetect },
      );
      entries.push(toEntry(file, r));
      for (const line of logLines(file, r)) o.log(line);
    }
  } finally {
    detector.dispose();
  }
  return entries;
}
