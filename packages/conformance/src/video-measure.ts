import {
  createVideoDetector,
  type Box,
  type Detector,
  type Face,
  type RgbImage,
  type TrackedFace,
  type VideoDetectorOptions,
} from '@mtcnn/core';
import { greedyMatch } from '@mtcnn/core/backend-kit';
import { boxInFrame, poseAt, renderFrame, type Shot } from './video-frames.js';

const xyxy = (f: Face): Box => [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]];

/** Faces are the same face on two results at IoU >= this (the usual detection criterion). */
export const SAME_FACE_IOU = 0.5;

export interface ShotMeasurement {
  shot: string;
  frames: number;
  /** Faces the full cascade found over all frames: the reference for recall. */
  fullFaces: number;
  trackedFaces: number;
  /** Reference faces with a tracked-mode face at IoU >= 0.5 (one-to-one, greedy). */
  matched: number;
  recall: number;
  /** Matched over tracked-mode faces. */
  precision: number;
  /** Recall over the reference faces wholly inside the frame (not cut by its edge). */
  recallInside: number;
  fullMs: number;
  trackedMs: number;
  fullFps: number;
  trackedFps: number;
  speedup: number;
  /** Frames on which tracked mode ran the full cascade. */
  fullFrames: number;
  /** Tracked frames that watched an edge, and tracked faces not found in their search box. */
  edgeFrames: number;
  lost: number;
  /** Track ids that covered more than one source face while in view (id switches). */
  idSwitches: number;
  /** Source faces that got more than one id while in view. */
  fragmented: number;
  /** Frames a face that is fully in view appears under a different id than on its previous frame in view. */
  idChanges: number;
  /** Reference faces the tracked mode missed: `[frame, face]`. */
  misses: Array<[number, Face]>;
}

/**
 * Runs `shot` on `detector` twice, frame by frame: the full cascade (the reference), then the
 * video detector, alternately, so both run under the same machine load. `sourceFaces` (detected
 * on the still source image, `[x1,y1,x2,y2]`) are each face's true identity on every frame.
 */
export async function measureShot(
  detector: Detector,
  shot: Shot,
  source: RgbImage,
  sourceFaces: readonly Box[],
  options: VideoDetectorOptions = {},
): Promise<ShotMeasurement & { tracked: TrackedFace[][] }> {
  const frames: RgbImage[] = [];
  for (let i = 0; i < shot.frames; i++) frames.push(renderFrame(shot, source, i));
  await detector.detect(frames[0]); // warm-up (JIT, first allocations) outside the timings

  const video = createVideoDetector(detector, options);
  const full: Face[][] = [];
  const tracked: TrackedFace[][] = [];
  let fullMs = 0;
  let trackedMs = 0;
  let fullFrames = 0;
  let edgeFrames = 0;
  let lost = 0;
  for (const f of frames) {
    let t0 = performance.now();
    full.push(await detector.detect(f));
    fullMs += performance.now() - t0;
    t0 = performance.now();
    const r = await video.detectWithStats(f);
    trackedMs += performance.now() - t0;
    tracked.push(r.faces);
    if (r.mode === 'full') fullFrames++;
    if (r.edges.length > 0) edgeFrames++;
    lost += r.lost;
  }

  let fullFaces = 0;
  let trackedFaces = 0;
  let matched = 0;
  const misses: Array<[number, Face]> = [];
  let inside = 0;
  let insideMatched = 0;
  const idToSource = new Map<number, Set<number>>();
  const sourceToIds = new Map<number, Set<number>>();
  const lastId = new Map<number, number>();
  let idChanges = 0;
  for (let i = 0; i < frames.length; i++) {
    const m = greedyMatch(full[i].map(xyxy), tracked[i].map(xyxy), SAME_FACE_IOU);
    fullFaces += full[i].length;
    trackedFaces += tracked[i].length;
    matched += m.pairs.length;
    for (const k of m.unmatchedPrevious) misses.push([i, full[i][k]]);
    const isInside = (f: Face): boolean =>
      f.box[0] >= 0 && f.box[1] >= 0 && f.box[0] + f.box[2] <= shot.width && f.box[1] + f.box[3] <= shot.height;
    const hit = new Set(m.pairs.map((p) => p[0]));
    full[i].forEach((f, k) => {
      if (!isInside(f)) return;
      inside++;
      if (hit.has(k)) insideMatched++;
    });
    // Identity: the source faces as this frame shows them, fully in view only.
    const pose = poseAt(shot, i);
    const truth = sourceFaces.map((b) => boxInFrame(shot, pose, b));
    const inView = truth.map((b) => b[0] >= 0 && b[1] >= 0 && b[2] <= shot.width && b[3] <= shot.height);
    for (const [s, t] of greedyMatch(truth, tracked[i].map(xyxy), SAME_FACE_IOU).pairs) {
      if (!inView[s]) continue;
      const id = tracked[i][t].trackId;
      if (!idToSource.has(id)) idToSource.set(id, new Set());
      idToSource.get(id)!.add(s);
      if (!sourceToIds.has(s)) sourceToIds.set(s, new Set());
      sourceToIds.get(s)!.add(id);
      if (lastId.has(s) && lastId.get(s) !== id) idChanges++;
      lastId.set(s, id);
    }
  }
  const several = (m: Map<number, Set<number>>): number => [...m.values()].filter((s) => s.size > 1).length;
  return {
    shot: shot.name,
    frames: frames.length,
    fullFaces,
    trackedFaces,
    matched,
    recall: fullFaces ? matched / fullFaces : 1,
    precision: trackedFaces ? matched / trackedFaces : 1,
    recallInside: inside ? insideMatched / inside : 1,
    fullMs,
    trackedMs,
    fullFps: (1000 * frames.length) / fullMs,
    trackedFps: (1000 * frames.length) / trackedMs,
    speedup: fullMs / trackedMs,
    fullFrames,
    edgeFrames,
    lost,
    idSwitches: several(idToSource),
    fragmented: several(sourceToIds),
    idChanges,
    misses,
    tracked,
  };
}

/** One markdown table row per shot, and the totals. */
export function markdownTable(rows: readonly ShotMeasurement[]): string {
  const lines = [
    '| sequence | frames | full cascade fps | tracked fps | speed-up | full frames ' +
      '| recall | recall, faces inside the frame | precision | id switches |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.shot} | ${r.frames} | ${r.fullFps.toFixed(1)} | ${r.trackedFps.toFixed(1)} ` +
        `| ${r.speedup.toFixed(2)}x | ${r.fullFrames} | ${r.recall.toFixed(3)} (${r.matched}/${r.fullFaces}) ` +
        `| ${r.recallInside.toFixed(3)} | ${r.precision.toFixed(3)} | ${r.idSwitches + r.fragmented} |`,
    );
  }
  const sum = (
    k: 'frames' | 'fullFaces' | 'matched' | 'trackedFaces' | 'fullMs' | 'trackedMs' | 'fullFrames',
  ): number => rows.reduce((s, r) => s + r[k], 0);
  lines.push(
    `| all | ${sum('frames')} | ${((1000 * sum('frames')) / sum('fullMs')).toFixed(1)} ` +
      `| ${((1000 * sum('frames')) / sum('trackedMs')).toFixed(1)} ` +
      `| ${(sum('fullMs') / sum('trackedMs')).toFixed(2)}x | ${sum('fullFrames')} ` +
      `| ${(sum('matched') / sum('fullFaces')).toFixed(3)} (${sum('matched')}/${sum('fullFaces')}) | ` +
      `| ${(sum('matched') / sum('trackedFaces')).toFixed(3)} ` +
      `| ${rows.reduce((s, r) => s + r.idSwitches + r.fragmented, 0)} |`,
  );
  return lines.join('\n');
}
