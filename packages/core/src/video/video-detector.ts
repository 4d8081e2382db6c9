import type { Box } from '../box.js';
import type { Detector } from '../detector.js';
import { MtcnnError } from '../errors.js';
import { makeFace, type Face } from '../face.js';
import type { RgbImage } from '../image.js';
import { readImage, type ImageDecoder, type ImageInput } from '../input.js';
import { nms } from '../nms.js';
import type { Window } from '../resample.js';
import { serialBackend } from '../serial.js';
import { runONetStage } from '../stages/onet.js';
import { runPNetStage } from '../stages/pnet.js';
import { runRNetStage } from '../stages/rnet.js';
import { cameraMotion, edgeStrips, enteringEdges, subImage, type Edge } from './edges.js';
import { greedyMatch, iou, searchBox, searchBoxes, TrackSet, type Track } from './tracks.js';

export interface VideoDetectorOptions {
  /**
   * Run the full cascade (P-Net pyramid, R-Net, O-Net) on every N-th frame; the frames between
   * re-check the tracked faces and watch the edges. 1 = the full cascade on every frame.
   * Default 10. A face appearing inside the picture (not through an edge) is found on the next
   * full frame, up to N - 1 frames late.
   */
  fullEvery?: number;
  /**
   * A tracked face is searched for in its last box (moved by its velocity), squared and grown by this fraction of its
   * side. Default 0.2.
   */
  margin?: number;
  /** Least IoU between a face and a track's last box for the face to keep the track's id. Default 0.3. */
  matchIou?: number;
  /**
   * Frames a lost face is remembered: its id comes back if the face is found again within them,
   * and for the first `keepLost / 3` of them the tracked frames keep looking where it should be
   * (a face half out of the picture comes and goes). Default 15.
   */
  keepLost?: number;
  /**
   * While the picture moves (pan or zoom out, as the tracks show), also run P-Net on the strips
   * along the edges where new content enters, this deep (a fraction of the frame's smaller side),
   * so faces coming into view are found at once rather than on the next full frame. 0 turns it
   * off (faster while panning, new faces later). Default 0.25.
   */
  edgeWatch?: number;
  /**
   * When a tracked face is not found again (it moved further than its search box, turned away,
   * or is leaving the picture): `'local'` runs the cascade on the region around where it should
   * be (3x its side); `'full'` runs the full cascade on the frame. Default `'local'`.
   */
  onLost?: 'local' | 'full';
  /**
   * For frames given as paths or encoded bytes (e.g. extracted JPEG frames): in Node, `loadImage` from
   * `@mtcnn/core/node`.
   */
  decoder?: ImageDecoder;
}

export type ResolvedVideoOptions = Required<Omit<VideoDetectorOptions, 'decoder'>>;

/** A face with the id of its track: the same id on every frame for the same face. */
export interface TrackedFace extends Face {
  trackId: number;
}

export interface VideoFrameReport {
  faces: TrackedFace[];
  /** Index of this frame (0 for the first frame since creation or `reset()`). */
  frame: number;
  /**
   * `'tracked'`: R-Net and O-Net on the tracked faces' search boxes, P-Net only on the watched
   * edges and around lost faces. `'full'`: the full cascade, on schedule or (with `onLost: 'full'`)
   * because a tracked face was lost.
   */
  mode: 'tracked' | 'full';
  /** Tracked faces not found in their search boxes on this frame (looked for as `onLost` says). */
  lost: number;
  /** Edges whose strips P-Net searched on this tracked frame (the picture was moving). */
  edges: Edge[];
  /** Milliseconds for this frame (reading it included). */
  ms: number;
}

export interface VideoDetectCallOptions {
  signal?: AbortSignal;
}

export interface VideoDetector {
  readonly detector: Detector;
  readonly options: Readonly<ResolvedVideoOptions>;
  /** Faces in this frame, largest first, with stable track ids. Frames are processed in call order. */
  detect(frame: ImageInput, call?: VideoDetectCallOptions): Promise<TrackedFace[]>;
  detectWithStats(frame: ImageInput, call?: VideoDetectCallOptions): Promise<VideoFrameReport>;
  /** Forget the tracks (a new scene or video); the next frame runs the full cascade. Ids are never reused. */
  reset(): void;
}

function resolveVideoOptions(o: VideoDetectorOptions): ResolvedVideoOptions {
  const bad = (msg: string): MtcnnError => new MtcnnError('INVALID_OPTION', msg);
  const fullEvery = o.fullEvery ?? 10;
  if (!Number.isInteger(fullEvery) || fullEvery < 1)
    throw bad(`fullEvery must be a whole number >= 1, got ${fullEvery}.`);
  const margin = o.margin ?? 0.2;
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0 || margin > 2)
    throw bad(`margin must be a number in [0, 2], got ${margin}.`);
  const matchIou = o.matchIou ?? 0.3;
  if (typeof matchIou !== 'number' || !(matchIou > 0 && matchIou <= 1))
    throw bad(`matchIou must be a number in (0, 1], got ${matchIou}.`);
  const keepLost = o.keepLost ?? 15;
  if (!Number.isInteger(keepLost) || keepLost < 0) throw bad(`keepLost must be a whole number >= 0, got ${keepLost}.`);
  const edgeWatch = o.edgeWatch ?? 0.25;
  if (typeof edgeWatch !== 'number' || !(edgeWatch >= 0 && edgeWatch <= 0.5))
    throw bad(`edgeWatch must be a number in [0, 0.5], got ${edgeWatch}.`);
  const onLost = o.onLost ?? 'local';
  if (onLost !== 'local' && onLost !== 'full')
    throw bad(`onLost must be 'local' or 'full', got ${JSON.stringify(onLost)}.`);
  return { fullEvery, margin, matchIou, keepLost, edgeWatch, onLost };
}

/**
 * Face detection on a video, frame after frame, with track ids. Frames are anything `detect`
 * takes: in Node raw RGB(A) frames `{ data, width, height }`, in browsers an `HTMLVideoElement`,
 * `VideoFrame`, canvas or `ImageBitmap`.
 *
 * Most frames skip the P-Net pyramid (the bulk of the time): each tracked face is looked for in
 * its search box (last box moved by its velocity, squared, grown by `margin`, plus a few shifted
 * and scaled copies) through R-Net and O-Net, as the cascade refines P-Net's proposals. While the
 * picture moves, P-Net also runs on the strips where new content comes in (`edgeWatch`); a face
 * not found again is looked for around where it should be (`onLost`); the full cascade runs
 * every `fullEvery` frames. Speed and recall against the full cascade on every frame are
 * measured in docs/video.md.
 *
 * The video detector uses `detector`'s backend and options and does not own it: dispose the
 * detector when done. Do not call the same detector's `detect` while a frame is in flight (the
 * tracked pass calls the backend directly).
 */
export function createVideoDetector(detector: Detector, options: VideoDetectorOptions = {}): VideoDetector {
  const opts = resolveVideoOptions(options);
  const dopts = detector.options;
  const net = serialBackend(detector.backend);
  const tracks = new TrackSet({ matchIou: opts.matchIou, keepLost: opts.keepLost });
  let frame = 0;
  let sinceFull = Infinity;
  let queue: Promise<unknown> = Promise.resolve();

  const toXyxy = (f: Face): Box =>
    dopts.boxFormat === 'xyxy'
      ? [f.box[0], f.box[1], f.box[2], f.box[3]]
      : [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]];

  /**
   * The cascade on given boxes and regions: P-Net on each window (a sub-image of the frame), then
   * R-Net on those proposals and `boxes` together, then O-Net, on the whole frame.
   */
  async function cascadeOn(image: RgbImage, boxes: Box[], windows: Window[], checkpoint: () => void): Promise<Face[]> {
    const proposals = [...boxes];
    for (const win of windows) {
      if (win.x1 - win.x0 < 12 || win.y1 - win.y0 < 12) continue;
      const p = await runPNetStage(net, subImage(image, win), dopts, false, checkpoint);
      for (const b of p.boxes) proposals.push([b[0] + win.x0, b[1] + win.y0, b[2] + win.x0, b[3] + win.y0]);
    }
    checkpoint();
    const r = await runRNetStage(
      net,
      image,
      proposals,
      proposals.map((_, i) => i),
      dopts,
      false,
    );
    checkpoint();
    // R-Net's NMS runs before its regression (as in the reference), so the variations of one
    // search box survive it, then converge on the face: keep one per face for the costly O-Net
    // (about 10x R-Net's work per crop). R-Net's boxes come best first.
    const once = nms(
      r.boxes,
      r.boxes.map((_, i) => -i),
      0.5,
      'union',
    ).keep;
    const o = await runONetStage(
      net,
      image,
      once.map((k) => r.boxes[k]),
      once.map((k) => r.ids[k]),
      dopts,
      false,
    );
    return o.faces.map((f) => makeFace(f.box, f.score, f.landmarks, dopts.boxFormat));
  }

  /**
   * R-Net + O-Net on the active tracks' search boxes and on P-Net's proposals from the entering
   * edges' strips, in one batch; then, for a tracked face not found again, the cascade around
   * where it should be (`faces` undefined: run the full cascade, with `onLost: 'full'`).
   */
  async function trackedPass(
    image: RgbImage,
    call: VideoDetectCallOptions,
  ): Promise<{ faces: Face[]; edges: Edge[]; lost: number } | { faces: undefined; lost: number }> {
    const checkpoint = (): void => {
      if (call.signal?.aborted)
        throw new MtcnnError('ABORTED', 'Detection was aborted by its AbortSignal.', { cause: call.signal.reason });
    };
    const active = tracks.active();
    // Nothing to follow, no motion to read: new faces wait for the next full frame.
    if (active.length === 0) return { faces: [], edges: [], lost: 0 };
    const boxes: Box[] = active.flatMap((t) => searchBoxes(t, opts.margin));
    // Recently lost faces are looked for too, where they should be now, without being required.
    for (const t of tracks.all()) {
      if (t.missed === 0 || t.missed > opts.keepLost / 3) continue;
      const b = searchBox(t, opts.margin);
      if (b[2] > 0 && b[3] > 0 && b[0] < image.width && b[1] < image.height) boxes.push(...searchBoxes(t, opts.margin));
    }
    const edges = opts.edgeWatch > 0 ? enteringEdges(cameraMotion(active)) : [];
    const depth = opts.edgeWatch * Math.min(image.width, image.height);
    const windows = edgeStrips(image.width, image.height, edges, depth);
    const faces = await cascadeOn(image, boxes, windows, checkpoint);
    // Every tracked face must be found again. One that is not moved further than its search box
    // allowed, turned away, or is leaving the picture: run the cascade around where it should be.
    const lost = greedyMatch(
      active.map((t) => t.box),
      faces.map(toXyxy),
      opts.matchIou,
    ).unmatchedPrevious;
    if (lost.length > 0) {
      if (opts.onLost === 'full') return { faces: undefined, lost: lost.length };
      const around = (t: Track): Window => {
        const b = searchBox(t, 2); // 3x the face's side, inside the frame
        return {
          x0: Math.max(0, Math.floor(b[0])),
          y0: Math.max(0, Math.floor(b[1])),
          x1: Math.min(image.width, Math.ceil(b[2])),
          y1: Math.min(image.height, Math.ceil(b[3])),
        };
      };
      const more = await cascadeOn(
        image,
        [],
        lost.map((i) => around(active[i])),
        checkpoint,
      );
      const have = faces.map(toXyxy);
      for (const f of more) {
        const b = toXyxy(f);
        if (have.every((h) => iou(h, b) < 0.3)) {
          faces.push(f);
          have.push(b);
        }
      }
      const area = (f: Face): number => {
        const b = toXyxy(f);
        return (b[2] - b[0]) * (b[3] - b[1]);
      };
      faces.sort((p, q) => area(q) - area(p));
    }
    return { faces, edges, lost: lost.length };
  }

  async function step(input: ImageInput, call: VideoDetectCallOptions): Promise<VideoFrameReport> {
    const t0 = performance.now();
    let mode: VideoFrameReport['mode'] = 'tracked';
    let lost = 0;
    let faces: Face[] | undefined;
    let edges: Edge[] = [];
    // Read once: a <video> must give both passes the same frame.
    const image = await readImage(input, {
      decoder: options.decoder,
      autoOrient: dopts.autoOrient,
      maxPixels: dopts.maxPixels,
    });
    if (sinceFull + 1 < opts.fullEvery) {
      const t = await trackedPass(image, call);
      faces = t.faces;
      lost = t.lost;
      if (t.faces) edges = t.edges;
    }
    if (faces === undefined) {
      mode = 'full';
      faces = await detector.detect(image, { signal: call.signal });
      sinceFull = 0;
    } else {
      sinceFull++;
    }
    const trackIds = tracks.update(faces.map(toXyxy));
    const tracked: TrackedFace[] = faces.map((f, i) => ({ ...f, trackId: trackIds[i] }));
    return { faces: tracked, frame: frame++, mode, lost, edges, ms: performance.now() - t0 };
  }

  function detectWithStats(input: ImageInput, call: VideoDetectCallOptions = {}): Promise<VideoFrameReport> {
    const run = queue.then(() => step(input, call));
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    detector,
    options: opts,
    detectWithStats,
    async detect(input, call) {
      return (await detectWithStats(input, call)).faces;
    },
    reset() {
      tracks.clear();
      sinceFull = Infinity;
      frame = 0;
    },
  };
}
