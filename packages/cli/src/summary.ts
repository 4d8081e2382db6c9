import type { DetectEntry } from './detect.js';
import { printable } from './escape.js';

export interface BatchSummary {
  /** Every input image, resumed ones included. */
  total: number;
  /** Taken from the output file (`--resume`) instead of being processed again. */
  skipped: number;
  /** Processed by this run. */
  processed: number;
  /** Error entries among all `total` (this run's and the resumed ones). */
  failures: { file: string; code: string; message: string }[];
  seconds: number;
  jobs: number;
  output?: string;
}

/** At most this many failed files are named; the rest are counted. */
export const SUMMARY_MAX_LISTED = 10;

/** The entry's failure: its error, or a failed --annotate write beside its faces (`annotation_error`). */
export function failureOf(entry: DetectEntry): { file: string; code: string; message: string } | undefined {
  if ('error' in entry) return { file: entry.file, code: entry.error.code, message: entry.error.message };
  const annotation = (entry as { annotation_error?: { code: string; message: string } }).annotation_error;
  if (annotation)
    return { file: entry.file, code: annotation.code, message: `annotation not written: ${annotation.message}` };
  return undefined;
}

/**
 * The closing lines on stderr: what was done, how fast, how many failed and why (by error code),
 * and which files failed. Ends with a newline.
 */
export function formatSummary(s: BatchSummary): string {
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  const ok = s.total - s.failures.length;
  const rate = s.seconds > 0 ? s.processed / s.seconds : 0;
  let head = `mtcnn: ${n(s.total, 'image')}: ${ok} ok, ${s.failures.length} failed`;
  if (s.failures.length > 0) {
    const byCode = new Map<string, number>();
    for (const f of s.failures) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
    head += ` (${[...byCode].map(([c, k]) => `${c} ${k}`).join(', ')})`;
  }
  head +=
    `; ${n(s.processed, 'image')} processed in ${s.seconds.toFixed(1)} ` +
    `s (${rate.toFixed(2)} images/s, ${n(s.jobs, 'job')})`;
  if (s.skipped > 0) head += `; ${s.skipped} skipped, already in ${s.output ?? 'the output'}`;
  const lines = [head];
  for (const f of s.failures.slice(0, SUMMARY_MAX_LISTED)) lines.push(`  failed: ${f.file}: ${f.code}: ${f.message}`);
  if (s.failures.length > SUMMARY_MAX_LISTED)
    lines.push(`  ... and ${s.failures.length - SUMMARY_MAX_LISTED} more (see the error entries)`);
  return `${lines.map(printable).join('\n')}\n`;
}
