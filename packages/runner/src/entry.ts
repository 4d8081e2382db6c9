// The JSON entry of one image: what `mtcnn detect` prints per file, what `POST /v1/detect`
// answers, what a queue job stores. One format, shared by the CLI, the server and the queue.
import { isMtcnnError, type Face, type StageCounts } from '@mtcnn/core';

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

/** One image's result: its decoded size, its faces (largest first), and (`stats`) the stage counts. */
export interface ImageEntry {
  width: number;
  height: number;
  faces: Face[];
  stages?: CliStages;
}

/** Why one image has no result. `code` is stable (an `MtcnnError` code, or `WORKER_FAILED`, ...). */
export interface EntryError {
  code: string;
  message: string;
}

/** The CLI's entry: the image's result or its error, tagged by the file it came from. */
export type DetectEntry = ({ file: string } & ImageEntry) | { file: string; error: EntryError };

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

/** `{ code, message }` of anything thrown: an `MtcnnError`'s own code, else `INTERNAL_ERROR`. */
export function entryError(e: unknown): EntryError {
  if (isMtcnnError(e)) return { code: e.code, message: e.message };
  return { code: 'INTERNAL_ERROR', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
