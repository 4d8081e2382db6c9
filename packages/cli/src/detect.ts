import { isMtcnnError, type Detector, type DetectorOptions, type Face, type StageCounts } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { writeAnnotated } from './annotate.js';
import { openDetector, type BackendName } from '@mtcnn/backends/node';

export interface DetectCommandOptions {
  backend: BackendName;
  detector: DetectorOptions;
  stats: boolean;
  annotate?: string;
  autoOrient: boolean;
  log: (line: string) => void;
}

/** Stage counts under the names the reference uses (the CLI's JSON contract). */
export interface CliStages {
  scales: number;
  pnet: number;
  pnet_nms: number;
  rnet: number;
  rnet_nms: number;
  onet: number;
  faces: number;
}

export type DetectEntry =
  | { file: string; width: number; height: number; faces: Face[]; stages?: CliStages }
  | { file: string; error: { code: string; message: string } };

export function cliStages(c: StageCounts): CliStages {
  return {
    scales: c.scales,
    pnet: c.pnet,
    pnet_nms: c.pnetNms,
    rnet: c.rnet,
    rnet_nms: c.rnetNms,
    onet: c.onet,
    faces: c.faces,
  };
}

/**
 * Detect faces in each file, in order. A file that fails becomes an `error` entry; the others go
 * on. Options are validated before the backend loads.
 */
export async function detectFiles(files: readonly string[], o: DetectCommandOptions): Promise<DetectEntry[]> {
  const detector = await openDetector(o.backend, o.detector);
  const entries: DetectEntry[] = [];
  try {
    for (const file of files) {
      const done = await detectFile(detector, file, o);
      entries.push(done.entry);
      for (const line of done.log) o.log(line);
    }
  } finally {
    detector.dispose();
  }
  return entries;
}

export interface FileDetection {
  entry: DetectEntry;
  /** What to tell the user about it (stderr lines). */
  log: string[];
}

/**
 * One file through `detector`: decode, detect, optionally annotate. A per-image failure (unreadable,
 * corrupt, unsupported) becomes an `error` entry; a failure of the detector itself throws.
 * Shared by `detectFiles` and the batch workers.
 */
export async function detectFile(
  detector: Detector,
  file: string,
  o: Pick<DetectCommandOptions, 'stats' | 'annotate' | 'autoOrient'>,
): Promise<FileDetection> {
  try {
    const image = await loadImage(file, { autoOrient: o.autoOrient });
    const report = await detector.detectWithStats(image);
    const entry: DetectEntry = { file, width: image.width, height: image.height, faces: report.faces };
    if (o.stats) entry.stages = cliStages(report.counts);
    const n = report.faces.length;
    const log = [
      `${file}: ${n} face${n === 1 ? '' : 's'} (${image.width}x${image.height}, ${report.timings.total.toFixed(0)} ms)`,
    ];
    if (o.annotate) log.push(`  annotated: ${await writeAnnotated(o.annotate, file, image, report.faces)}`);
    return { entry, log };
  } catch (e) {
    if (!isMtcnnError(e) || e.code === 'DISPOSED' || e.code === 'BACKEND_FAILED') throw e;
    return { entry: { file, error: { code: e.code, message: e.message } }, log: [`${file}: ${e.code}: ${e.message}`] };
  }
}
