/**
 * P-Net on a pyramid level in horizontal strips, for backends: ONNX Runtime runs large levels in
 * strips to bound its memory (its arena keeps the largest activations it ever held: about 450 MB
 * of RSS for the P-Net session alone at 1920x1080 in one piece, under 180 MB in strips of 256 K
 * pixels), the threaded tfjs backend to share a level between its threads.
 *
 * Output row y sees input rows [2y, 2y + 12). A strip of output rows [y0, y1) therefore reads
 * input rows [2 y0, 2 y1 + 10): an even start, so the 2x2 pool keeps the whole level's grid, and
 * an even height, so no strip but the last ends in a half pooling window (the last runs to the
 * level's bottom edge, as the whole level does). Every output cell gets the same arithmetic as in
 * one piece (tested bit for bit on onnxruntime-node, tfjs wasm and cpu).
 */
import type { PixelLayout, PNetOutput } from './backend.js';

export interface Strip {
  /** Output map rows [y0, y1). */
  y0: number;
  y1: number;
  /** Input rows [r0, r0 + rows). */
  r0: number;
  rows: number;
}

/** Strips of at most about `maxPixels` input pixels, covering a `mapHeight`-row output map. */
export function pnetStrips(height: number, width: number, mapHeight: number, maxPixels: number): Strip[] {
  const perStrip = Math.max(1, Math.floor((maxPixels / width - 10) / 2));
  const strips: Strip[] = [];
  for (let y0 = 0; y0 < mapHeight; y0 += perStrip) {
    const y1 = Math.min(mapHeight, y0 + perStrip);
    const r0 = 2 * y0;
    strips.push({ y0, y1, r0, rows: y1 === mapHeight ? height - r0 : 2 * (y1 - y0) + 10 });
  }
  return strips;
}

/**
 * Input rows [r0, r0 + rows) of a level in `layout`, as their own array: a view for HWC, else
 * copied plane by plane into the start of `buffer` (at least `rows * width * 3` long).
 */
export function levelRows(
  level: Float32Array,
  layout: PixelLayout,
  height: number,
  width: number,
  r0: number,
  rows: number,
  buffer?: Float32Array,
): Float32Array {
  if (layout === 'hwc') return level.subarray(r0 * width * 3, (r0 + rows) * width * 3);
  const plane = height * width;
  const out = buffer ? buffer.subarray(0, rows * width * 3) : new Float32Array(rows * width * 3);
  for (let c = 0; c < 3; c++)
    out.set(level.subarray(c * plane + r0 * width, c * plane + (r0 + rows) * width), c * rows * width);
  return out;
}

/** The P-Net output of a whole level from its strips' outputs (`outs[k]` for `strips[k]`). */
export function mergePNetStrips(
  strips: readonly Strip[],
  outs: readonly PNetOutput[],
  mapHeight: number,
  mapWidth: number,
): PNetOutput {
  const logit = new Float32Array(mapHeight * mapWidth);
  const reg = new Float32Array(mapHeight * mapWidth * 4);
  strips.forEach((s, k) => {
    const cells = (s.y1 - s.y0) * mapWidth;
    if (outs[k].logit.length !== cells || outs[k].reg.length !== cells * 4) {
      throw new RangeError(`P-Net strip ${k}: ${outs[k].logit.length} cells, expected ${cells}`);
    }
    logit.set(outs[k].logit, s.y0 * mapWidth);
    reg.set(outs[k].reg, s.y0 * mapWidth * 4);
  });
  return { logit, reg, height: mapHeight, width: mapWidth };
}
