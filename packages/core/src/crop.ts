import type { PixelLayout } from './backend.js';
import type { Box } from './box.js';
import type { RgbImage } from './image.js';
import type { BorderMode } from './options.js';
import { areaSampler, type AreaSampler, type Window } from './resample.js';
import { noScratch, type Scratch } from './scratch.js';

/**
 * The source window cropped for a box (pipeline step 8, docs/architecture.md), in 0-based half-open pixel coordinates.
 * - stretch (the reference's `pad`): columns `[max(trunc(x1), 1) - 1, min(trunc(x2), W))`,
 *   rows likewise: only the in-image part, later stretched to the crop size.
 * - grey-pad / zero-pad: columns `[trunc(x1) - 1, trunc(x2))`, rows likewise, unclamped; the part
 *   outside the image reads as grey / black (`cropFill`). For a box inside the image (x1, y1 >= 1)
 *   all modes give the same window.
 */
export function cropWindow(box: Box, width: number, height: number, mode: BorderMode): Window {
  const x1 = Math.trunc(box[0]);
  const y1 = Math.trunc(box[1]);
  const x2 = Math.trunc(box[2]);
  const y2 = Math.trunc(box[3]);
  if (mode !== 'stretch') return { x0: x1 - 1, y0: y1 - 1, x1: x2, y1: y2 };
  return { x0: Math.max(x1, 1) - 1, y0: Math.max(y1, 1) - 1, x1: Math.min(x2, width), y1: Math.min(y2, height) };
}

/** The 0..255 value of a crop's pixels outside the image: grey (0 once normalised) or black. */
export function cropFill(mode: BorderMode): number {
  return mode === 'grey-pad' ? 127.5 : 0;
}

/**
 * Crop, resample (area) and normalise every box into one batch of `size` x `size` RGB crops,
 * ready for R-Net (24) or O-Net (48): `boxes.length * size * size * 3` floats, each crop HWC or
 * (`layout` `chw`) three planes.
 */
export function cropBatch(
  image: RgbImage,
  boxes: readonly Box[],
  size: number,
  mode: BorderMode,
  sampler: AreaSampler = areaSampler(image),
  layout: PixelLayout = 'hwc',
  scratch: Scratch = noScratch,
): { data: Float32Array; windows: Window[] } {
  const stride = size * size * 3;
  const data = scratch.float32(boxes.length * stride);
  const windows = boxes.map((b, i) => {
    const w = cropWindow(b, image.width, image.height, mode);
    sampler.resample(w, size, size, data, i * stride, layout, cropFill(mode));
    return w;
  });
  return { data, windows };
}
