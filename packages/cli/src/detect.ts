// What `mtcnn detect` (batch.ts) makes of the runner's result for one file.
import type { DetectEntry, TaskResult } from '@mtcnn/runner';

// The entry format lives in @mtcnn/runner (the server and the queue answer with it too).
export { cliStages, type CliStages, type DetectEntry } from '@mtcnn/runner';

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
