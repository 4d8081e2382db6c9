import { MtcnnError } from './errors.js';
import { toRgbImage, type PixelData, type RgbImage } from './image.js';

/**
 * Decodes encoded images (a path, or JPEG/PNG/... bytes) to RGB. The core has no decoder of its
 * own; in Node pass `loadImage` from `@mtcnn/core/node` as the detector's `decoder`.
 */
export type ImageDecoder = (
  source: string | Uint8Array,
  options: {
    autoOrient: boolean;
    maxPixels: number;
    /** Largest file or buffer to read, in bytes (`IMAGE_TOO_LARGE` above it). */
    maxFileBytes?: number;
    /** The call's signal: a decoder should stop (reject `ABORTED`) when it fires. */
    signal?: AbortSignal;
  },
) => Promise<RgbImage>;

/**
 * A tfjs `Tensor3D` `[height, width, channels]` of 0..255 values, recognised by shape (the core does not import tfjs).
 */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  data(): Promise<ArrayLike<number>>;
}

/**
 * A browser image source: `HTMLImageElement`, `HTMLCanvasElement`, `OffscreenCanvas`, `ImageBitmap`,
 * `HTMLVideoElement` or `VideoFrame` (anything `drawImage` takes), or an `ImageData`.
 */
export type BrowserImageSource = CanvasImageSource | ImageData;

/**
 * Every kind of image `detect()` accepts:
 * - raw pixels `{ data, width, height, channels? }` (grey, RGB or RGBA, HWC, 0..255) or an `ImageData`;
 * - a path or encoded bytes (with a `decoder`, e.g. in Node `loadImage` from `@mtcnn/core/node`);
 * - a tfjs `Tensor3D` (`[h, w, 1|3|4]`, 0..255);
 * - a browser image source (drawn to a canvas and read back).
 */
export type ImageInput = PixelData | RgbImage | string | Uint8Array | ArrayBuffer | TensorLike | BrowserImageSource;

export interface ReadImageOptions {
  decoder?: ImageDecoder;
  autoOrient: boolean;
  /** Refuse images with more pixels than this (`IMAGE_TOO_LARGE`), before allocating them. */
  maxPixels: number;
  /** Passed to the decoder: the largest file or buffer to read. */
  maxFileBytes?: number;
  /** Rejects `ABORTED` when it fires, also while a decoder or a tensor's `data()` runs. */
  signal?: AbortSignal;
}

function abortedError(signal: AbortSignal): MtcnnError {
  return new MtcnnError('ABORTED', 'Detection was aborted by its AbortSignal.', { cause: signal.reason });
}

/**
 * `work`, or an `ABORTED` rejection as soon as `signal` fires, whichever comes first. What `work`
 * does goes on in the background (a native decode cannot be interrupted from here); its outcome
 * is then ignored.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortedError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function isPixelData(v: object): v is PixelData {
  const d = (v as PixelData).data;
  return (
    (ArrayBuffer.isView(d) || Array.isArray(d)) &&
    typeof (v as PixelData).width === 'number' &&
    typeof (v as PixelData).height === 'number'
  );
}

function isTensorLike(v: object): v is TensorLike {
  return (
    Array.isArray((v as TensorLike).shape) &&
    typeof (v as TensorLike).data === 'function' &&
    typeof (v as TensorLike).dtype === 'string'
  );
}

function checkSize(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new MtcnnError(
      'IMAGE_TOO_LARGE',
      `The image is ${width}x${height} = ${width * height} pixels, over maxPixels ` +
        `(${maxPixels}). Downscale it, or raise the detector's maxPixels option.`,
    );
  }
}

/** Natural size of a drawable browser source (0 when it is not ready). */
function sourceSize(s: CanvasImageSource): { width: number; height: number } {
  const any = s as unknown as Record<string, number>;
  if ('naturalWidth' in any) return { width: any.naturalWidth, height: any.naturalHeight }; // <img>
  if ('videoWidth' in any) return { width: any.videoWidth, height: any.videoHeight }; // <video>
  if ('displayWidth' in any) return { width: any.displayWidth, height: any.displayHeight }; // VideoFrame
  return { width: any.width, height: any.height }; // canvas, OffscreenCanvas, ImageBitmap, SVG image
}

function drawToPixels(source: CanvasImageSource, maxPixels: number): PixelData {
  // A <video> knows its size from HAVE_METADATA on, but drawImage draws nothing before HAVE_CURRENT_DATA (2).
  if ('videoWidth' in source && (source as HTMLVideoElement).readyState < 2) {
    throw new MtcnnError(
      'INVALID_IMAGE',
      'The video has no frame to read yet (readyState below HAVE_CURRENT_DATA): ' +
        'wait for its loadeddata event, or for a seek to end.',
    );
  }
  const { width, height } = sourceSize(source);
  if (!(width > 0 && height > 0)) {
    throw new MtcnnError(
      'INVALID_IMAGE',
      'The image source has no pixels (0x0): it has not loaded yet (await ' +
        "img.decode(), or the video's loadeddata event), failed to load, or was closed.",
    );
  }
  checkSize(width, height, maxPixels);
  let ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (typeof OffscreenCanvas !== 'undefined') {
    ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  } else if (typeof document !== 'undefined') {
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    ctx = c.getContext('2d', { willReadFrequently: true });
  } else {
    throw new MtcnnError(
      'UNSUPPORTED_FORMAT',
      'Reading a browser image source needs a canvas (OffscreenCanvas or document).',
    );
  }
  if (!ctx) throw new MtcnnError('UNSUPPORTED_FORMAT', 'Could not get a 2D canvas context to read the image.');
  let img: ImageData;
  try {
    ctx.drawImage(source, 0, 0, width, height);
    img = ctx.getImageData(0, 0, width, height);
  } catch (cause) {
    // A DOMException, e.g. SecurityError: a cross-origin image without CORS taints the canvas.
    const tainted = (cause as { name?: string }).name === 'SecurityError';
    throw new MtcnnError(
      'INVALID_IMAGE',
      tainted
        ? "The browser does not let the page read this image's pixels: it is cross-origin without CORS. Serve it " +
            "with an Access-Control-Allow-Origin header and set img.crossOrigin = 'anonymous' before its src."
        : `Could not read the image source: ${(cause as Error).message ?? String(cause)}`,
      { cause },
    );
  }
  return { data: img.data, width, height, channels: 4 };
}

/**
 * The one place every kind of input becomes the RGB image the cascade reads. Validates size
 * limits before allocating; encoded inputs need a decoder.
 */
export async function readImage(input: ImageInput, options: ReadImageOptions): Promise<RgbImage> {
  if (input === null || input === undefined) {
    throw new MtcnnError('INVALID_IMAGE', `No image given (got ${String(input)}).`);
  }
  if (typeof input === 'string' || input instanceof Uint8Array || input instanceof ArrayBuffer) {
    if (!options.decoder) {
      throw new MtcnnError(
        'UNSUPPORTED_FORMAT',
        'A path or encoded bytes need a decoder: in Node, createDetector(backend, { decoder: loadImage }) with ' +
          'loadImage from @mtcnn/core/node; in browsers pass an <img>, canvas, ImageBitmap or ImageData.',
      );
    }
    const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
    if (options.signal?.aborted) throw abortedError(options.signal);
    const decoding = options.decoder(bytes, {
      autoOrient: options.autoOrient,
      maxPixels: options.maxPixels,
      maxFileBytes: options.maxFileBytes,
      signal: options.signal,
    });
    const image = await raceAbort(decoding, options.signal);
    checkSize(image.width, image.height, options.maxPixels);
    return image;
  }
  if (typeof input !== 'object') throw new MtcnnError('INVALID_IMAGE', `Cannot read an image from a ${typeof input}.`);
  if (isPixelData(input)) {
    checkSize(input.width, input.height, options.maxPixels);
    return toRgbImage(input);
  }
  if (isTensorLike(input)) {
    const [height, width, channels] = input.shape;
    if (input.shape.length !== 3 || (channels !== 1 && channels !== 3 && channels !== 4)) {
      throw new MtcnnError(
        'INVALID_IMAGE',
        `A tensor image must be [height, width, 1|3|4], got [${input.shape.join(', ')}].`,
      );
    }
    checkSize(width, height, options.maxPixels);
    let data: ArrayLike<number>;
    try {
      data = await raceAbort(
        Promise.resolve().then(() => input.data()),
        options.signal,
      );
    } catch (cause) {
      if (cause instanceof MtcnnError) throw cause;
      // e.g. tfjs's "Tensor is disposed", or a backend that lost its context.
      throw new MtcnnError(
        'INVALID_IMAGE',
        `Could not read the tensor's values (data() failed): ${(cause as Error)?.message ?? String(cause)}`,
        { cause },
      );
    }
    const typed = data instanceof Float32Array || data instanceof Uint8Array ? data : Float32Array.from(data);
    return toRgbImage({ data: typed, width, height, channels });
  }
  return toRgbImage(drawToPixels(input as CanvasImageSource, options.maxPixels));
}
