// What `mtcnn detect` (batch.ts) makes of the runner's result for one file.
import type { DetectEntry, TaskResult } from '@mtcnn/runner';

// The entry format lives in @mtcnn/runner (the server and the queue answer with it too).
export { cliStages, type CliStages, type DetectEntry } from '@mtcnn/runner';

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
