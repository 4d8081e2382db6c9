import type { DetectorOptions } from '@mtcnn/core';
import { detectImage, type DetectEntry, type TaskResult } from '@mtcnn/runner';
import { annotateAfterDetect } from './annotate.js';
import { openDetector, type BackendName } from './backends.js';

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

/** The CLI's entry for `file` from a runner result (which does not name its file). */
export function toEntry(file: string, r: TaskResult): DetectEntry {
  return 'error' in r ? { file, error: r.error } : { file, ...r.entry };
}

/** What to tell the user about one image (stderr lines). */
export function logLines(file: string, r: TaskResult): string[] {
  if ('error' in r) return [`${file}: ${r.error.code}: ${r.error.message}`];
  const { width, height, faces } = r.entry;
  const n = faces.length;
  return [`${file}: ${n} face${n === 1 ? '' : 's'} (${width}x${height}, ${r.timings.total.toFixed(0)} ms)`, ...r.log];
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
        { source: { file }, stats: o.stats, label: file },
        { afterDetect: annotateAfterDetect, extra: { annotate: o.annotate } },
      );
      entries.push(toEntry(file, r));
      for (const line of logLines(file, r)) o.log(line);
    }
  } finally {
    detector.dispose();
  }
  return entries;
}
