import { MtcnnError } from './errors.js';
import type { Point } from './face.js';

/**
 * Similarity transforms (rotation, uniform scale, shift; no reflection, no shear) and the 5-point
 * template that ArcFace-style recognisers are trained on.
 *
 * Coordinates follow OpenCV's convention, which the template uses: the centre of pixel (i, j) is
 * the point (i, j).
 */

/** `x' = a*x - b*y + tx`, `y' = b*x + a*y + ty`: scale `hypot(a, b)`, angle `atan2(b, a)`. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * The 5 landmarks (left eye, right eye, nose, mouth left, mouth right, image's point of view) of
 * the 112x112 crops ArcFace / insightface recognisers expect (insightface's `arcface_dst`).
 */
export const ARCFACE_TEMPLATE: readonly Point[] = Object.freeze([
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
] as Point[]);

/** Side of the crops `ARCFACE_TEMPLATE` is defined for. */
export const ARCFACE_SIZE = 112;

/**
 * The template for a `size` x `size` crop whose face fills `1 / (1 + margin)` of the side.
 * The 112 template is scaled about the crop's outer corner, `(p + 0.5) * size / 112 - 0.5`, so it
 * covers the same part of the crop at every size (112 gives the template unchanged), then shrunk
 * by `1 + margin` about the crop's centre, so `margin` adds context around an aligned face.
 */
export function alignmentTemplate(size = ARCFACE_SIZE, margin = 0): Point[] {
  if (!(Number.isFinite(size) && size > 0))
    throw new MtcnnError('INVALID_OPTION', `size must be a positive number, got ${size}.`);
  if (!(Number.isFinite(margin) && margin > -1))
    throw new MtcnnError('INVALID_OPTION', `margin must be a number > -1, got ${margin}.`);
  const k = size / ARCFACE_SIZE;
  const c = (size - 1) / 2; // centre of the pixel grid 0..size-1
  return ARCFACE_TEMPLATE.map(([x, y]) => [
    c + ((x + 0.5) * k - 0.5 - c) / (1 + margin),
    c + ((y + 0.5) * k - 0.5 - c) / (1 + margin),
  ]);
}

/**
 * The similarity that maps `src` onto `dst` with the least sum of squared distances (Umeyama 1991
 * without reflection, as insightface's `estimate_norm` via scikit-image). In 2-D this has a closed
 * form: with points as complex numbers centred on their means, `a + ib = sum(conj(s) d) / sum(|s|^2)`.
 */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  const n = src.length;
  if (n < 2 || dst.length !== n) {
    throw new MtcnnError(
      'INVALID_OPTION',
      `A similarity needs at least 2 point pairs, got ${n} source and ${dst.length} target points.`,
    );
  }
  let sx = 0;
  let sy = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i][0];
    sy += src[i][1];
    dx += dst[i][0];
    dy += dst[i][1];
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let re = 0;
  let im = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i][0] - sx;
    const py = src[i][1] - sy;
    const qx = dst[i][0] - dx;
    const qy = dst[i][1] - dy;
    re += px * qx + py * qy;
    im += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (!(norm > 0) || !Number.isFinite(re + im)) {
    throw new MtcnnError('INVALID_IMAGE', 'Cannot align: the landmarks coincide (or are not finite numbers).');
  }
  const a = re / norm;
  const b = im / norm;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export function applySimilarity(t: Similarity, [x, y]: readonly [number, number]): Point {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  if (!(d > 0)) throw new MtcnnError('INVALID_IMAGE', 'This similarity has scale 0 and cannot be inverted.');
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** Scale factor of a similarity. */
export function similarityScale(t: Similarity): number {
  return Math.hypot(t.a, t.b);
}

/** Rotation angle of a similarity, radians, counter-clockwise in a y-up frame (clockwise on screen). */
export function similarityAngle(t: Similarity): number {
  return Math.atan2(t.b, t.a);
}

/** The 2x3 matrix `[[a, -b, tx], [b, a, ty]]` row by row, as OpenCV's `warpAffine` takes it. */
export function similarityMatrix(t: Similarity): [number, number, number, number, number, number] {
  return [t.a, -t.b, t.tx, t.b, t.a, t.ty];
}
