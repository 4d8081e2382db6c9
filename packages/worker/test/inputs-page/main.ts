// The page of inputs.browser.test.ts (built by Vite): one image as every browser input kind the
// core's `readImage` accepts, each through a main-thread detector, plus the bad inputs. The test
// writes images/<name>.png (lossless) and images/<name>.rgba (the same pixels, raw RGBA) from
// Node's decoding, so the still kinds can carry exactly Node's pixels.
import { createDetector, MtcnnError, readImage, type Detector, type Face, type StageCounts } from '@mtcnn/core';
import { createStandardBackend } from '../../dist/backends.js';
import { BufferTarget, CanvasSource, canEncodeVideo, Output, QUALITY_VERY_HIGH, WebMOutputFormat } from 'mediabunny';

const assets = new URL('./', document.baseURI).href;

const detectors = new Map<string, Promise<Detector>>();
function detector(backend: string): Promise<Detector> {
  let d = detectors.get(backend);
  if (!d) {
    d = createStandardBackend(backend, { assets }).then((b) => createDetector(b));
    detectors.set(backend, d);
  }
  return d;
}

export interface Read {
  faces: Face[];
  counts: StageCounts;
  /** What `readImage` made of the input: its size and the SHA-256 of its RGB bytes. */
  width: number;
  height: number;
  sha256: string;
}

async function sha256(data: Uint8Array | Float32Array): Promise<string> {
  // slice: an ArrayBuffer-backed copy
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data.slice()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function read(det: Detector, input: Parameters<Detector['detect']>[0]): Promise<Read> {
  const rgb = await readImage(input, { autoOrient: true, maxPixels: 1e9 });
  const { faces, counts } = await det.detectWithStats(input);
  return { faces, counts, width: rgb.width, height: rgb.height, sha256: await sha256(rgb.data) };
}

/** The next `ok` event of `target`; rejects on `fail`, or after `ms` (a clear error rather than a hung test). */
const event = (target: EventTarget, ok: string, fail = 'error', ms = 10_000): Promise<Event> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${ok} event in ${ms / 1000} s`)), ms);
    target.addEventListener(
      ok,
      (e) => {
        clearTimeout(timer);
        resolve(e);
      },
      { once: true },
    );
    target.addEventListener(
      fail,
      () => {
        clearTimeout(timer);
        reject(new Error(`${fail} before ${ok}`));
      },
      { once: true },
    );
  });

async function loadImg(src: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = src;
  await img.decode();
  return img;
}

function canvasOf(source: CanvasImageSource, width: number, height: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  c.getContext('2d')!.drawImage(source, 0, 0);
  return c;
}

/** The still kinds, each built the way an application would get it. */
async function stillInputs(name: string): Promise<{
  inputs: Record<string, CanvasImageSource | ImageData>;
  bitmap: ImageBitmap;
  canvas: HTMLCanvasElement;
  close(): void;
}> {
  const [png, raw, img] = await Promise.all([
    fetch(`images/${name}.png`).then((r) => r.blob()),
    fetch(`images/${name}.rgba`).then((r) => r.arrayBuffer()),
    loadImg(`images/${name}.png`), // the browser's PNG decoder
  ]);
  const { naturalWidth: w, naturalHeight: h } = img;
  const imageData = new ImageData(new Uint8ClampedArray(raw), w, h); // Node's pixels as they are
  const bitmap = await createImageBitmap(png);
  const canvas = canvasOf(img, w, h);
  const offscreen = new OffscreenCanvas(w, h);
  offscreen.getContext('2d')!.putImageData(imageData, 0, 0);
  const frameOfBitmap = new VideoFrame(bitmap, { timestamp: 0 });
  const frameOfCanvas = new VideoFrame(canvas, { timestamp: 0 });
  return {
    inputs: {
      ImageData: imageData,
      ImageBitmap: bitmap,
      HTMLImageElement: img,
      HTMLCanvasElement: canvas,
      OffscreenCanvas: offscreen,
      'VideoFrame (of an ImageBitmap)': frameOfBitmap,
      'VideoFrame (of a canvas)': frameOfCanvas,
    },
    bitmap,
    canvas,
    close() {
      frameOfBitmap.close();
      frameOfCanvas.close();
      bitmap.close();
    },
  };
}

/**
 * A real WebM (VP8, or VP9 where VP8 cannot be encoded) of `bitmap`: three frames of the same
 * picture, each encoded explicitly through WebCodecs and muxed by Mediabunny. Lossy, so the
 * video's pixels are not the image's. Not MediaRecorder: its frames come from the compositor, and
 * on a loaded machine a recording could end before its first frame was out (then the file never
 * reached `loadeddata`). Here the file holds its frames whatever the load.
 */
async function encodeWebm(bitmap: ImageBitmap): Promise<{ blob: Blob; mimeType: string }> {
  const { width, height } = bitmap;
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  c.getContext('2d')!.drawImage(bitmap, 0, 0);
  let codec: 'vp8' | 'vp9' | undefined;
  for (const candidate of ['vp8', 'vp9'] as const)
    if (!codec && (await canEncodeVideo(candidate, { width, height, quality: QUALITY_VERY_HIGH }))) codec = candidate;
  if (!codec) throw new Error(`WebCodecs cannot encode VP8 or VP9 at ${width}x${height} here`);
  const target = new BufferTarget();
  const output = new Output({ format: new WebMOutputFormat(), target });
  const source = new CanvasSource(c, { codec, quality: QUALITY_VERY_HIGH });
  output.addVideoTrack(source, { frameRate: 30 });
  await output.start();
  for (let i = 0; i < 3; i++) await source.add(i / 30, 1 / 30);
  await output.finalize();
  const mimeType = `video/webm;codecs=${codec}`;
  return { blob: new Blob([target.buffer!], { type: mimeType }), mimeType };
}

/** Mean absolute difference (0..255) between the video's current frame and `bitmap`. */
function frameDifference(video: HTMLVideoElement, bitmap: ImageBitmap): number {
  const w = bitmap.width;
  const h = bitmap.height;
  const read = (src: CanvasImageSource) => canvasOf(src, w, h).getContext('2d')!.getImageData(0, 0, w, h).data;
  const a = read(video);
  const b = read(bitmap);
  let sum = 0;
  for (let i = 0; i < a.length; i += 4)
    sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
  return sum / (w * h * 3);
}

/** The WebM of `bitmap` in a <video> showing its first frame, checked to be the picture. */
async function encodedVideo(bitmap: ImageBitmap): Promise<{ video: HTMLVideoElement; blob: Blob; mimeType: string }> {
  const { blob, mimeType } = await encodeWebm(bitmap);
  const video = await playableVideo(blob);
  const diff = frameDifference(video, bitmap);
  if (diff > 20)
    throw new Error(`the video's first frame is not the picture (mean difference ${diff.toFixed(1)} of 255)`);
  return { video, blob, mimeType };
}

async function playableVideo(blob: Blob): Promise<HTMLVideoElement> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  // 60 s: decoding one frame takes milliseconds, but a CI machine can be very busy.
  const loaded = event(video, 'loadeddata', 'error', 60_000);
  video.src = URL.createObjectURL(blob);
  try {
    await loaded; // readyState >= HAVE_CURRENT_DATA: the first frame can be drawn
  } catch (e) {
    // What the element had reached, for a failure that cannot be reproduced at will.
    const error = video.error?.message || video.error?.code || 'none';
    const state = `readyState ${video.readyState}, networkState ${video.networkState}, error ${error}`;
    throw new Error(`${(e as Error).message} (a ${blob.size}-byte ${blob.type}; ${state})`);
  }
  return video;
}

export interface VideoCheck {
  mimeType: string;
  bytes: number;
  readyState: number;
  /** The <video> element (paused on its first frame), and a canvas drawn from it: the same pixels. */
  video: Read;
  canvasOfVideo: Read;
  /** `new VideoFrame(video)`, and a canvas drawn from that frame. */
  frameOfVideo: Read;
  canvasOfFrame: Read;
}

export interface InputsCheck {
  backendName: string;
  kinds: Record<string, Read>;
  video?: VideoCheck;
}

async function check(backend: string, name: string, withVideo: boolean): Promise<InputsCheck> {
  const det = await detector(backend);
  const still = await stillInputs(name);
  // Closed on every path: a VideoFrame left to the garbage collector makes Chromium log an error.
  try {
    const kinds: Record<string, Read> = {};
    for (const [kind, input] of Object.entries(still.inputs)) kinds[kind] = await read(det, input);
    let video: VideoCheck | undefined;
    if (withVideo) {
      const { video: v, blob, mimeType } = await encodedVideo(still.bitmap);
      const w = v.videoWidth;
      const h = v.videoHeight;
      const readyState = v.readyState;
      const onVideo = await read(det, v);
      const canvasOfVideo = await read(det, canvasOf(v, w, h));
      const frame = new VideoFrame(v);
      let frameOfVideo: Read;
      let canvasOfFrame: Read;
      try {
        frameOfVideo = await read(det, frame);
        canvasOfFrame = await read(det, canvasOf(frame, frame.displayWidth, frame.displayHeight));
      } finally {
        frame.close();
      }
      URL.revokeObjectURL(v.src);
      video = { mimeType, bytes: blob.size, readyState, video: onVideo, canvasOfVideo, frameOfVideo, canvasOfFrame };
    }
    return { backendName: det.backend.name, kinds, video };
  } finally {
    still.close();
  }
}

/** An EBML variable-length integer at `i`: an element ID (marker bit kept) or a size (marker bit dropped). */
function vint(b: Uint8Array, i: number, keepMarker: boolean): { value: number; length: number } {
  let length = 1;
  while (length <= 8 && !(b[i] & (0x80 >> (length - 1)))) length++;
  let value = keepMarker ? b[i] : b[i] & (0xff >> length);
  for (let k = 1; k < length; k++) value = value * 256 + b[i + k];
  return { value, length };
}

/** Where the first Cluster of a WebM starts: the header, Info and Tracks before it make the initialisation segment. */
function firstCluster(b: Uint8Array): number {
  const header = vint(b, 0, true); // EBML header
  const headerSize = vint(b, header.length, false);
  let i = header.length + headerSize.length + headerSize.value;
  const segment = vint(b, i, true);
  if (segment.value !== 0x18538067) throw new Error('no Segment in the WebM');
  i += segment.length + vint(b, i + segment.length, false).length;
  while (i < b.length) {
    const id = vint(b, i, true);
    if (id.value === 0x1f43b675) return i;
    const size = vint(b, i + id.length, false);
    i += id.length + size.length + size.value; // SeekHead, Void, Info, Tracks, ...
  }
  throw new Error('no Cluster in the WebM');
}

/**
 * A <video> that knows its size but has no frame: Media Source Extensions given only the WebM's
 * initialisation segment (everything before the first Cluster), so readyState stays HAVE_METADATA.
 */
async function metadataOnlyVideo(blob: Blob, mimeType: string): Promise<HTMLVideoElement> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const cluster = firstCluster(bytes);
  const ms = new MediaSource();
  const video = document.createElement('video');
  video.muted = true;
  const opened = event(ms, 'sourceopen', 'error', 60_000);
  video.src = URL.createObjectURL(ms);
  await opened;
  const sb = ms.addSourceBuffer(mimeType.replace(/codecs=(\w+)/, 'codecs="$1"'));
  const meta = event(video, 'loadedmetadata', 'error', 60_000);
  sb.appendBuffer(bytes.subarray(0, cluster));
  await meta;
  return video;
}

export interface Outcome {
  /** The detector resolved (faces found) instead of rejecting. */
  resolved?: number;
  isMtcnnError?: boolean;
  name?: string;
  code?: string;
  message?: string;
  /** Facts about the input when it was passed. */
  note?: string;
}

async function outcome(det: Detector, input: unknown, note?: string): Promise<Outcome> {
  try {
    const faces = await det.detect(input as Parameters<Detector['detect']>[0]);
    return { resolved: faces.length, note };
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string };
    return { isMtcnnError: e instanceof MtcnnError, name: err.name, code: err.code, message: err.message, note };
  }
}

/** Bad browser inputs; `otherOrigin` serves the same files from another origin (a tainting image). */
async function bad(
  backend: string,
  name: string,
  otherOrigin: string,
): Promise<{ outcomes: Record<string, Outcome>; afterwards: Read }> {
  const det = await detector(backend);
  const still = await stillInputs(name);
  const o: Record<string, Outcome> = {};

  const broken = new Image();
  const failed = event(broken, 'error', 'load');
  broken.src = 'images/no-such-image.png';
  await failed;
  o['HTMLImageElement, broken (404)'] = await outcome(
    det,
    broken,
    `naturalWidth ${broken.naturalWidth}, complete ${broken.complete}`,
  );

  const garbage = new Image();
  const failed2 = event(garbage, 'error', 'load');
  garbage.src = URL.createObjectURL(
    new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5])], { type: 'image/png' }),
  );
  await failed2;
  o['HTMLImageElement, undecodable bytes'] = await outcome(det, garbage, `naturalWidth ${garbage.naturalWidth}`);

  const pending = new Image();
  pending.src = `images/${name}.png?not-loaded-yet`;
  o['HTMLImageElement, not loaded yet'] = await outcome(
    det,
    pending,
    `naturalWidth ${pending.naturalWidth}, complete ${pending.complete}`,
  );

  o['HTMLImageElement, no src'] = await outcome(det, new Image());

  const tainting = await loadImg(new URL(`images/${name}.png`, otherOrigin).href);
  o['HTMLImageElement, cross-origin without CORS (taints the canvas)'] = await outcome(
    det,
    tainting,
    `${tainting.naturalWidth}x${tainting.naturalHeight} from ${otherOrigin}`,
  );

  const empty = document.createElement('canvas');
  empty.width = 0;
  empty.height = 0;
  o['HTMLCanvasElement 0x0'] = await outcome(det, empty);
  o['OffscreenCanvas 0x0'] = await outcome(det, new OffscreenCanvas(0, 0));

  const closedBitmap = await createImageBitmap(still.canvas);
  closedBitmap.close();
  o['ImageBitmap, closed'] = await outcome(det, closedBitmap, `${closedBitmap.width}x${closedBitmap.height}`);

  const detached = await createImageBitmap(still.canvas);
  const moved = structuredClone(detached, { transfer: [detached] });
  o['ImageBitmap, transferred away (detached)'] = await outcome(
    det,
    detached,
    `${detached.width}x${detached.height}; the transferred copy is ${moved.width}x${moved.height}`,
  );
  moved.close();

  const closedFrame = new VideoFrame(still.bitmap, { timestamp: 0 });
  closedFrame.close();
  o['VideoFrame, closed'] = await outcome(det, closedFrame, `displayWidth ${closedFrame.displayWidth}`);

  o['HTMLVideoElement, no source'] = await outcome(det, document.createElement('video'));

  const { blob, mimeType } = await encodedVideo(still.bitmap);
  const metaOnly = await metadataOnlyVideo(blob, mimeType);
  o['HTMLVideoElement, metadata but no frame (HAVE_METADATA)'] = await outcome(
    det,
    metaOnly,
    `${metaOnly.videoWidth}x${metaOnly.videoHeight}, readyState ${metaOnly.readyState}`,
  );
  URL.revokeObjectURL(metaOnly.src);

  // The detector still works after all that.
  const afterwards = await read(det, still.inputs.ImageData);
  still.close();
  return { outcomes: o, afterwards };
}

Object.assign(globalThis, { check, bad });
document.getElementById('state')!.textContent = 'ready';
