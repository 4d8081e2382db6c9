/** One image's detections as `eval-faces.mjs` reads them. */
export interface EvalDetections {
  file: string;
  faces: { box: [number, number, number, number]; score: number }[];
}

interface CliEntry {
  file?: unknown;
  faces?: { box: [number, number, number, number]; confidence: number }[];
  error?: { code: string; message: string };
}

export interface Converted {
  dets: EvalDetections[];
  /** Images of the list with no line in the JSONL (the run did not finish). */
  missing: string[];
  /** Images of the list whose line is an error entry. */
  failed: { file: string; code: string; message: string }[];
}

/**
 * The CLI's JSONL entries (`{file, faces: [{box: [x,y,w,h], confidence}]}`) for the images of
 * `files`, as the evaluator's detections (`{file, faces: [{box, score}]}`), keeping the faces
 * with confidence > `minScore` (the O-Net rule): a run at a low final threshold, cut at the
 * default one, is exactly the run at the default one (NMS is greedy by score, so faces below the
 * cut never suppress faces above it; checked in docs/accuracy.md).
 */
export function toEvalDetections(records: readonly CliEntry[], files: readonly string[], minScore: number): Converted {
  const byFile = new Map<string, CliEntry>();
  for (const r of records) if (typeof r.file === 'string') byFile.set(r.file, r);
  const out: Converted = { dets: [], missing: [], failed: [] };
  for (const file of files) {
    const r = byFile.get(file);
    if (!r) out.missing.push(file);
    else if (r.error) out.failed.push({ file, ...r.error });
    else {
      const faces = (r.faces ?? [])
        .filter((f) => f.confidence > minScore)
        .map((f) => ({ box: f.box, score: f.confidence }));
      out.dets.push({ file, faces });
    }
  }
  return out;
}
