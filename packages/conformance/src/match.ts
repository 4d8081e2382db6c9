import type { Face } from '@mtcnn/core';
import type { OracleFace } from './shared.js';

/** IoU of two `[x1, y1, x2, y2]` boxes (plain float64; a test metric, not the detector's NMS). */
export function iou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

export interface FaceMatch {
  ref: OracleFace;
  face?: Face;
  iou: number;
  /** Max |dx|, |dy| over the 5 landmarks. */
  landmarkDev: number;
  probDev: number;
  /** Max |d| over the four box coordinates. */
  boxDev: number;
}

const NAMES = ['left_eye', 'right_eye', 'nose', 'mouth_left', 'mouth_right'] as const;

/** Greedily match each reference face to our unused face of highest IoU (faces in `xywh`). */
export function matchFaces(
  refs: readonly OracleFace[],
  faces: readonly Face[],
): { matches: FaceMatch[]; extra: Face[] } {
  const ours = faces.map((f) => ({
    f,
    xyxy: [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]],
    used: false,
  }));
  const matches = refs.map((ref) => {
    let best: (typeof ours)[number] | undefined;
    let bestIou = 0;
    for (const o of ours) {
      const v = o.used ? 0 : iou(ref.box, o.xyxy);
      if (v > bestIou) {
        bestIou = v;
        best = o;
      }
    }
    if (!best) return { ref, iou: 0, landmarkDev: Infinity, probDev: Infinity, boxDev: Infinity };
    best.used = true;
    const f = best.f;
    const landmarkDev = Math.max(
      ...ref.landmarks.flatMap((p, k) => [
        Math.abs(p[0] - f.keypoints[NAMES[k]][0]),
        Math.abs(p[1] - f.keypoints[NAMES[k]][1]),
      ]),
    );
    const boxDev = Math.max(...ref.box.map((v, k) => Math.abs(v - best!.xyxy[k])));
    return { ref, face: f, iou: bestIou, landmarkDev, probDev: Math.abs(ref.prob - f.confidence), boxDev };
  });
  return { matches, extra: ours.filter((o) => !o.used).map((o) => o.f) };
}
