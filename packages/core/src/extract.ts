import { alignmentTemplate, estimateSimilarity, invertSimilarity, type Similarity } from './align.js';
import { MtcnnError } from './errors.js';
import { KEYPOINT_NAMES, type Face, type Point } from './face.js';
import type { RgbImage } from './image.js';
import { readImage, type ImageDecoder, type ImageInput } from './input.js';
import { DEFAULT_OPTIONS, type BoxFormat } from './options.js';
import { warpSimilarity } from './warp.js';

export interface ExtractFacesOptions {
  /** Side of the square crops, in pixels. Default 112 (ArcFace's input). */
  size?: number;
  /**
   * Context around the face, as a fraction of its side: the crop covers `1 + margin` times the
   * face. Default 0.2 for box crops, 0 for aligned crops (the exact ArcFace crop).
   */
  margin?: number;
  /**
   * `false` (default): the face's box, made square around its centre and grown by `margin`.
   * `true`: the face rotated, scaled and shifted (least squares over its 5 landmarks) onto the
   * ArcFace 5-point template, scaled to `size`.
   */
  align?: boolean;
  /** How the faces' boxes are written: as the detector gave them. Default `'xywh'`. */
  boxFormat?: BoxFormat;
  /** For paths and encoded bytes: in Node, `loadImage` from `@mtcnn/core/node`. */
  decoder?: ImageDecoder;
  /** Passed to the decoder (default true, like the detector's default). */
  autoOrient?: boolean;
  /** Largest image accepted, in pixels. Default 100 megapixels. */
  maxPixels?: number;
}

/** One face's crop: 8-bit RGB pixels, HWC, and where the crop came from. */
export interface FaceCrop {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
  /** Maps image points to crop points (pixel centres at integers): where a landmark lands in the crop. */
  transform: Similarity;
  aligned: boolean;
}

interface Resolved {
  size: number;
  margin: number;
  align: boolean;
  boxFormat: BoxFormat;
}

function resolve(o: ExtractFacesOptions): Resolved {
  const align = o.align ?? false;
  if (typeof align !== 'boolean')
    throw new MtcnnError('INVALID_OPTION', `align must be true or false, got ${JSON.stringify(align)}.`);
  const size = o.size ?? 112;
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new MtcnnError('INVALID_OPTION', `size must be a whole number of pixels in [1, 4096], got ${size}.`);
  }
  const margin = o.margin ?? (align ? 0 : 0.2);
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin <= -1) {
    throw new MtcnnError(
      'INVALID_OPTION',
      `margin must be a number > -1 (a fraction of the face's side), got ${margin}.`,
    );
  }
  const boxFormat = o.boxFormat ?? 'xywh';
  if (boxFormat !== 'xywh' && boxFormat !== 'xyxy') {
    throw new MtcnnError('INVALID_OPTION', `boxFormat must be 'xywh' or 'xyxy', got ${JSON.stringify(boxFormat)}.`);
  }
  return { size, margin, align, boxFormat };
}

/**
 * The image -> crop similarity of a box crop: the box's square (side `max(w, h) * (1 + margin)`,
 * same centre) onto the crop's `size` x `size` pixels, edge to edge.
 */
export function boxCropTransform(face: Face, size: number, margin: number, boxFormat: BoxFormat = 'xywh'): Similarity {
  const [x, y, p, q] = face.box;
  const [w, h] = boxFormat === 'xywh' ? [p, q] : [p - x, q - y];
  const side = Math.max(w, h) * (1 + margin);
  if (!(side > 0) || !Number.isFinite(side + x + y)) {
    throw new MtcnnError(
      'INVALID_IMAGE',
      `Cannot crop a face whose box is empty or not finite: [${face.box.join(', ')}].`,
    );
  }
  // Box edges count pixel j as [j, j + 1) (the cascade's crop windows do too), while crop and image
  // points have pixel centres at integers: the square's left edge L is the point L - 0.5, and maps
  // to the crop's left edge -0.5. At one crop pixel per image pixel, the crop copies pixels exactly.
  const k = size / side;
  const left = x + w / 2 - side / 2;
  const top = y + h / 2 - side / 2;
  return { a: k, b: 0, tx: (0.5 - left) * k - 0.5, ty: (0.5 - top) * k - 0.5 };
}

/** The image -> crop similarity of an aligned crop: the face's landmarks onto the template. */
export function alignTransform(face: Face, size = 112, margin = 0): Similarity {
  const points: Point[] = KEYPOINT_NAMES.map((k) => face.keypoints[k]);
  return estimateSimilarity(points, alignmentTemplate(size, margin));
}

/** One face's crop from an RGB image (synchronous). */
export function cropFace(image: RgbImage, face: Face, options: ExtractFacesOptions = {}): FaceCrop {
  const o = resolve(options);
  const transform = o.align
    ? alignTransform(face, o.size, o.margin)
    : boxCropTransform(face, o.size, o.margin, o.boxFormat);
  const data = warpSimilarity(image, invertSimilarity(transform), o.size, o.size);
  return { data, width: o.size, height: o.size, channels: 3, transform, aligned: o.align };
}

/**
 * The crops of `faces` (as `detect` returned them) from `image`, in the same order: RGB pixel
 * buffers ready for a recognition model (`align: true`) or for display. Sampling is bilinear;
 * parts of a crop outside the image are black. `image` is anything `detect` takes.
 */
export async function extractFaces(
  image: ImageInput,
  faces: readonly Face[],
  options: ExtractFacesOptions = {},
): Promise<FaceCrop[]> {
  resolve(options); // options errors before any decoding
  if (!Array.isArray(faces))
    throw new MtcnnError('INVALID_OPTION', 'faces must be an array of faces, as detect() returns them.');
  const rgb = await readImage(image, {
    decoder: options.decoder,
    autoOrient: options.autoOrient ?? DEFAULT_OPTIONS.autoOrient,
    maxPixels: options.maxPixels ?? DEFAULT_OPTIONS.maxPixels,
  });
  return faces.map((f) => cropFace(rgb, f, options));
}
