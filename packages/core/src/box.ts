import { add, mul, sub } from './f32.js';

/** A box in image pixels as `[x1, y1, x2, y2]` (float32 values), the cascade's internal format. */
export type Box = [number, number, number, number];

/** Box offsets `(dx1, dy1, dx2, dy2)` as the networks predict them, relative to the box size. */
export type Offsets = [number, number, number, number];

/**
 * P-Net regression (pipeline step 7, docs/architecture.md): `x1 += dx1 * (x2 - x1)` etc., width **without** +1.
 */
export function regressPNet(b: Box, r: Offsets): Box {
  const w = sub(b[2], b[0]);
  const h = sub(b[3], b[1]);
  return [add(b[0], mul(r[0], w)), add(b[1], mul(r[1], h)), add(b[2], mul(r[2], w)), add(b[3], mul(r[3], h))];
}

/**
 * R-Net / O-Net regression (the reference's `bbreg`): width **with** +1 (pipeline steps 9-10).
 */
export function regressPlusOne(b: Box, r: Offsets): Box {
  const w = add(sub(b[2], b[0]), 1);
  const h = add(sub(b[3], b[1]), 1);
  return [add(b[0], mul(r[0], w)), add(b[1], mul(r[1], h)), add(b[2], mul(r[2], w)), add(b[3], mul(r[3], h))];
}

/**
 * Make a box square around its centre (the reference's `rerec`): side `max(w, h)`, float, no
 * rounding. Operation order matches the reference so the float32 results are identical.
 */
export function square(b: Box): Box {
  const h = sub(b[3], b[1]);
  const w = sub(b[2], b[0]);
  const l = Math.max(w, h);
  const x1 = sub(add(b[0], mul(w, 0.5)), mul(l, 0.5));
  const y1 = sub(add(b[1], mul(h, 0.5)), mul(l, 0.5));
  return [x1, y1, add(x1, l), add(y1, l)];
}

/** `[x1, y1, x2, y2]` -> `[x, y, width, height]` (plain float64 subtraction; output only). */
export function toXywh(b: Box): [number, number, number, number] {
  return [b[0], b[1], b[2] - b[0], b[3] - b[1]];
}
