import { createVideoDetector, greedyMatch, type Box, type Detector, type Face, type RgbImage, type VideoDetectorOptions } from '@mtcnn/core';
import { boxInFrame, poseAt, renderFrame, type Shot } from './video-frames.js';

const xyxy = (f: Face): Box => [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]];

export interface ShotMeasurement {
  shot: string;
  frames: number;
  /** Faces the full cascade found over all frames (the reference for recall). */
  fullFaces: number;
  trackedFaces: number;
  /** Full-cascade faces with a tracked-mode face at IoU >= 0.5, over all full-cascade faces. */
  recall: number;
  /** Tracked-mode faces with a full-cascade face at IoU >= 0.5, over all tracked-mode faces. */
  precision: number;
  fullFps: number;
  trackedFps: number;
  /** Frames on which tracked mode ran the full cascade (on schedule or after losing a face). */
  fullFrames: number;
  fallbacks: number;
  /** Tracks that covered more than one source face (an id switch), and source faces split over several tracks while in view. */
  idSwitches: number;
  fragmented: number;
}

/**
 * Runs `shot` twice on `detector`: the full cascade on every frame (the reference), then the video
 * detector; compares them frame by frame. `sourceFaces` (detected on the still image, `[x1,y1,x2,y2]`)
 * give each face's true identity on every frame, for the id checks.
 */
export async function measureShot(
  detector: Detector,
  shot: Shot,
  source: RgbImage,
  sourceFaces: readonly Box[],
  options: VideoDetectorOptions = {},
): Promise<ShotMeasurement> {
  const frames: RgbImage[] = [];
  for (let i = 0; i < shot.frames; i++) frames.push(renderFrame(shot, source, i));
  await detector.detect(frames[0]); // warm-up (JIT, first allocations) outside the timings

  // Frame by frame, the full cascade then the video detector, so both run under the same load
  // (the machine may be shared; timings of two separate passes drift apart).
  const video = createVideoDetector(detector, options);
  const full: Face[][] = [];
  const tracked: Array<Array<Face & { trackId: number }>> = [];
  let fullMs = 0;
  let trackedMs = 0;
  let fullFrames = 0;
  let fallbacks = 0;
  for (const f of frames) {
    let t0 = performance.now();
    full.push(await detector.detect(f));
    fullMs += performance.now() - t0;
    t0 = performance.now();
    const r = await video.detectWithStats(f);
    trackedMs += performance.now() - t0;
    tracked.push(r.faces);
    if (r.mode === 'full') fullFrames++;
    if (r.fallback) fallbacks++;
    if (process.env.DEBUG_FRAMES) console.log(`${shot.name} ${r.frame} ${r.mode}${r.fallback ? '(fallback)' : ''} ${r.edges.join('+')} ${r.ms.toFixed(0)} ms, ${r.faces.length} faces`);
  }

  let fullFaces = 0;
  let trackedFaces = 0;
  let hits = 0;
  let hitsT = 0;
  // Identity: which source face each track id covered, and which ids each source face got.
  const idToSource = new Map<number, Set<number>>();
  const sourceToIds = new Map<number, Set<number>>();
  for (let i = 0; i < frames.length; i++) {
    const m = greedyMatch(full[i].map(xyxy), tracked[i].map(xyxy), 0.5);
    fullFaces += full[i].length;
    trackedFaces += tracked[i].length;
    hits += m.pairs.length;
    if (process.env.DEBUG_MISSES) {
      const matched = new Set(m.pairs.map((p) => p[0]));
      full[i].forEach((f, k) => {
        if (!matched.has(k)) console.log(`${shot.name} frame ${i}: missed [${f.box.map((v) => v.toFixed(0)).join(', ')}] p=${f.confidence.toFixed(3)}`);
      });
      const matchedT = new Set(m.pairs.map((p) => p[1]));
      tracked[i].forEach((f, k) => {
        if (!matchedT.has(k)) console.log(`${shot.name} frame ${i}: extra [${f.box.map((v) => v.toFixed(0)).join(', ')}] p=${f.confidence.toFixed(3)}`);
      });
    }
    hitsT += m.pairs.length;
    const pose = poseAt(shot, i);
    const truth = sourceFaces.map((b) => boxInFrame(shot, pose, b));
    const inView = truth.map((b) => b[0] >= 0 && b[1] >= 0 && b[2] <= shot.width && b[3] <= shot.height);
    const idm = greedyMatch(truth, tracked[i].map(xyxy), 0.5);
    for (const [s, t] of idm.pairs) {
      if (!inView[s]) continue;
      const id = tracked[i][t].trackId;
      if (!idToSource.has(id)) idToSource.set(id, new Set());
      idToSource.get(id)!.add(s);
      if (!sourceToIds.has(s)) sourceToIds.set(s, new Set());
      sourceToIds.get(s)!.add(id);
    }
  }
  const count = (m: Map<number, Set<number>>): number => [...m.values()].filter((s) => s.size > 1).length;
  return {
    shot: shot.name,
    frames: frames.length,
    fullFaces,
    trackedFaces,
    recall: fullFaces ? hits / fullFaces : 1,
    precision: trackedFaces ? hitsT / trackedFaces : 1,
    fullFps: (1000 * frames.length) / fullMs,
    trackedFps: (1000 * frames.length) / trackedMs,
    fullFrames,
    fallbacks,
    idSwitches: count(idToSource),
    fragmented: count(sourceToIds),
  };
}
