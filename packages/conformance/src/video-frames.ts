import { warpSimilarity, type Box, type RgbImage, type Similarity } from '@mtcnn/core';

/** A virtual camera over a still image: which source point is at the frame's centre, and the zoom. */
export interface CameraPose {
  /** Source point at the centre of the frame. */
  cx: number;
  cy: number;
  /** Source pixels per frame pixel (2 = the frame shows a region twice its size, downscaled). */
  scale: number;
}

export interface Shot {
  name: string;
  source: string;
  width: number;
  height: number;
  frames: number;
  from: CameraPose;
  to: CameraPose;
  /** Hand-held sway: the centre circles this many pixels (source units) every 24 frames. */
  sway?: number;
}

/** Smoothstep: the camera eases in and out, as a hand-held pan or a zoom lens does. */
const ease = (t: number): number => t * t * (3 - 2 * t);

/** The camera's pose on frame `i` of `shot`. */
export function poseAt(shot: Shot, i: number): CameraPose {
  const t = shot.frames > 1 ? ease(i / (shot.frames - 1)) : 0;
  const lerp = (a: number, b: number): number => a + (b - a) * t;
  // Zoom geometrically, so the apparent speed of the zoom is even.
  const a = (2 * Math.PI * i) / 24;
  const sway = shot.sway ?? 0;
  return {
    cx: lerp(shot.from.cx, shot.to.cx) + sway * Math.cos(a),
    cy: lerp(shot.from.cy, shot.to.cy) + sway * Math.sin(a),
    scale: shot.from.scale * (shot.to.scale / shot.from.scale) ** t,
  };
}

/** Frame -> source map of a pose (frame pixel centres at integers). */
export function frameToSource(shot: Shot, pose: CameraPose): Similarity {
  return {
    a: pose.scale,
    b: 0,
    tx: pose.cx - pose.scale * ((shot.width - 1) / 2),
    ty: pose.cy - pose.scale * ((shot.height - 1) / 2),
  };
}

/** A source box `[x1, y1, x2, y2]` as it appears in the frame of `pose`. */
export function boxInFrame(shot: Shot, pose: CameraPose, b: Box): Box {
  const m = frameToSource(shot, pose);
  return [(b[0] - m.tx) / m.a, (b[1] - m.ty) / m.a, (b[2] - m.tx) / m.a, (b[3] - m.ty) / m.a];
}

/** Frame `i` of `shot`: the source image seen by the camera, bilinear, black outside the source. */
export function renderFrame(shot: Shot, source: RgbImage, i: number): RgbImage {
  const m = frameToSource(shot, poseAt(shot, i));
  return { data: warpSimilarity(source, m, shot.width, shot.height), width: shot.width, height: shot.height };
}

/**
 * The generated sequences (from the dev images in ../shared): a still camera, pans that carry
 * faces in and out of the picture, and a zoom. 640x360 frames, as from a webcam.
 */
export const SHOTS: Shot[] = [
  // multiface.jpg held still (a webcam on a stand, a hand-held phone): the 6 faces (~55 px) in
  // view, a few pixels of sway.
  {
    name: 'multiface-still',
    source: 'multiface.jpg',
    width: 640,
    height: 360,
    frames: 40,
    from: { cx: 590, cy: 309, scale: 1.6 },
    to: { cx: 590, cy: 309, scale: 1.6 },
    sway: 4,
  },
  // multiface.jpg (1200x630, 6 faces of ~80-95 px): left to right along the group, slightly down.
  {
    name: 'multiface-pan',
    source: 'multiface.jpg',
    width: 640,
    height: 360,
    frames: 60,
    from: { cx: 320, cy: 250, scale: 1 },
    to: { cx: 880, cy: 330, scale: 1 },
  },
  // multiface.jpg: from the whole picture (faces ~45 px) into the two faces at the bottom right.
  {
    name: 'multiface-zoom',
    source: 'multiface.jpg',
    width: 640,
    height: 360,
    frames: 60,
    from: { cx: 600, cy: 315, scale: 1.9 },
    to: { cx: 820, cy: 470, scale: 0.8 },
  },
  // bbt1_1920x1080.jpg (5 faces of ~130-200 px): a pan back right to left at 1.5x, faces ~100 px.
  {
    name: 'bbt1-pan',
    source: 'bbt1_1920x1080.jpg',
    width: 640,
    height: 360,
    frames: 60,
    from: { cx: 1440, cy: 300, scale: 1.5 },
    to: { cx: 480, cy: 380, scale: 1.5 },
  },
];
