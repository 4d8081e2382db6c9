import { isMtcnnError, MtcnnError, type BoxFormat, type Detector, type Face, type RgbImage } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { cliStages, entryError, type ImageEntry } from './entry.js';
import type { TaskResult, TaskSpec, TaskSuccess, TaskTimings } from './protocol.js';
import { reportHtml } from './report-html.js';

/** Runs after a successful detection, where it ran; returns lines for the user. */
export type AfterDetect = (d: {
  label?: string;
  /** The task's `hookData`. */
  data?: unknown;
  image: RgbImage;
  /** In the detector's `boxFormat` (given beside them). */
  faces: Face[];
  boxFormat: BoxFormat;
  entry: ImageEntry;
  extra: unknown;
}) => Promise<string[]>;

/**
 * One image through `detector`: decode (the detector's `autoOrient` and `maxPixels`, checked from
 * the header before decoding), detect, build the entry. A failure of the image (unreadable,
 * corrupt, too large, aborted) is the result's `error`; a failure of the detector itself
 * (`BACKEND_FAILED`, `DISPOSED`, a bug) throws, so that the caller can replace it.
 */
export async function detectImage(
  detector: Detector,
  spec: TaskSpec,
  o: {
    signal?: AbortSignal;
    afterDetect?: AfterDetect;
    extra?: unknown;
    /** Called between decoding and detecting (the pool must not stop a worker in a network run). */
    onDecoded?: () => void;
  } = {},
): Promise<TaskResult> {
  const { autoOrient, maxPixels, maxFileBytes } = detector.options;
  const timeout = spec.timeoutMs !== undefined ? AbortSignal.timeout(spec.timeoutMs) : undefined;
  const signal = timeout && o.signal ? AbortSignal.any([o.signal, timeout]) : (timeout ?? o.signal);
  try {
    const t0 = performance.now();
    const image = await loadImage('file' in spec.source ? spec.source.file : spec.source.bytes, {
      autoOrient,
      maxPixels,
      maxFileBytes,
      signal,
      timeoutSeconds: spec.timeoutMs !== undefined ? spec.timeoutMs / 1000 : undefined,
    });
    const decode = performance.now() - t0;
    o.onDecoded?.();
    if (signal?.aborted)
      throw new MtcnnError('ABORTED', 'Detection was aborted by its AbortSignal.', { cause: signal.reason });
    const report = await detector.detectWithStats(image, { signal, trace: spec.report !== undefined });
    const entry: ImageEntry = { width: image.width, height: image.height, faces: report.faces };
    if (spec.stats) entry.stages = cliStages(report.counts);
    const timings: TaskTimings = { decode, ...report.timings };
    let html: Uint8Array | undefined;
    if (spec.report) {
      const text = await reportHtml(image, report.trace!, spec.report.name, detector.backend.name);
      html = new TextEncoder().encode(text);
    }
    let log: string[] = [];
    let afterDetectError: TaskSuccess['afterDetectError'];
    if (o.afterDetect) {
      try {
        log = await o.afterDetect({
          label: spec.label,
          data: spec.hookData,
          image,
          faces: report.faces,
          boxFormat: detector.options.boxFormat,
          entry,
          extra: o.extra,
        });
      } catch (e) {
        // The hook's own failure (say an unwritable --annotate directory): the detection stands,
        // and the failure is reported beside it.
        const code = (e as { code?: unknown }).code;
        afterDetectError =
          typeof code === 'string' && !isMtcnnError(e) && /^[A-Z_]+$/.test(code)
            ? { code, message: (e as Error).message }
            : entryError(e);
      }
    }
    const result: TaskSuccess = { entry, timings, log };
    if (html) result.report = html;
    if (afterDetectError) result.afterDetectError = afterDetectError;
    return result;
  } catch (e) {
    if (!isMtcnnError(e) || e.code === 'DISPOSED' || e.code === 'BACKEND_FAILED') throw e;
    if (e.code === 'ABORTED' && timeout?.aborted && !o.signal?.aborted)
      return {
        error: {
          code: 'TIMEOUT',
          message: `Took longer than its time limit (${spec.timeoutMs} ms): stopped.`,
        },
      };
    return { error: { code: e.code, message: e.message } };
  }
}
