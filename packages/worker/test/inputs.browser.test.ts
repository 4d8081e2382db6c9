import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWeightsDir, MANIFEST_FILE, SHARD_FILE } from '@mtcnn/models/node';
import { createDetector, type Detector, type Face, type StageCounts } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';
// The visualizer's browser setup (Debian chromium through playwright-core) and its static server.
import {
  ARTIFACTS,
  chromiumMissing,
  launch,
  REPO,
  SAMPLE,
  watchErrors,
} from '../../visualizer/test/browser.test-util.js';
import { serveDir } from '../../visualizer/scripts/serve.mjs';
import type { InputsCheck, Outcome, Read } from './inputs-page/main.js';

const PKG = dirname(dirname(fileURLToPath(import.meta.url)));
const SITE = join(ARTIFACTS, '..', 'worker-inputs-e2e');
const MULTIFACE = join(REPO, '..', 'shared', 'images', 'dev', 'multiface.jpg');

/** The test images: the repo's sample, and the shared group photo when ../shared is there. */
const IMAGES: Array<{ name: string; path: string; faces: number }> = [
  { name: 'astronaut-collage', path: SAMPLE, faces: 4 },
];
if (existsSync(MULTIFACE)) {
  IMAGES.push({ name: 'multiface', path: MULTIFACE, faces: 6 });
} else {
  console.warn(`!!! ${MULTIFACE} absent (no ../shared): the browser input kinds are checked on ${SAMPLE} only`);
}

/** What Node makes of each image: its decoded pixels (sharp, through loadImage) and its faces. */
interface NodeTruth {
  width: number;
  height: number;
  sha256: string;
  /** onnxruntime-web's WebAssembly build in Node (the browser's runtime), and onnxruntime-node. */
  wasm: { faces: Face[]; counts: StageCounts };
  native: { faces: Face[]; counts: StageCounts };
}
const truth = new Map<string, NodeTruth>();

/**
 * Builds test/inputs-page with Vite next to the weights, and writes each image as Node decodes it:
 * a PNG (lossless, no colour profile: the browser decodes it to the same pixels) and raw RGBA.
 */
async function buildSite(): Promise<void> {
  const { build } = await import('vite');
  await rm(SITE, { recursive: true, force: true });
  await build({
    root: join(PKG, 'test', 'inputs-page'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: SITE, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192 },
  });
  await mkdir(join(SITE, 'weights'), { recursive: true });
  for (const f of [MANIFEST_FILE, SHARD_FILE]) await copyFile(join(defaultWeightsDir(), f), join(SITE, 'weights', f));
  const tfWasm = join(
    dirname(createRequire(join(PKG, 'package.json')).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  await mkdir(join(SITE, 'tfjs-wasm'), { recursive: true });
  for (const f of (await readdir(tfWasm)).filter((n) => n.endsWith('.wasm')))
    await copyFile(join(tfWasm, f), join(SITE, 'tfjs-wasm', f));
  await mkdir(join(SITE, 'images'), { recursive: true });
  // sharp is the core's (optional) decoder dependency; the worker package does not depend on it.
  const sharp = createRequire(join(REPO, 'packages', 'core', 'package.json'))('sharp') as typeof import('sharp');
  for (const { name, path } of IMAGES) {
    const rgb = await loadImage(path);
    const { width, height } = rgb;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba.set(rgb.data.subarray(i * 3, i * 3 + 3) as Uint8Array, i * 4);
      rgba[i * 4 + 3] = 255;
    }
    await writeFile(join(SITE, 'images', `${name}.rgba`), rgba);
    await sharp(rgb.data, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toFile(join(SITE, 'images', `${name}.png`));
    truth.set(name, { width, height, sha256: createHash('sha256').update(rgb.data).digest('hex') } as NodeTruth);
  }
}

/** The Node detectors on the same files: core `createDetector` + `loadImage`, ONNX backends. */
async function nodeFaces(): Promise<void> {
  const detectors: Record<'wasm' | 'native', Detector> = {
    wasm: createDetector(await createNodeOnnxBackend({ runtime: 'wasm', threads: 1 }), { decoder: loadImage }),
    native: createDetector(await createNodeOnnxBackend({ runtime: 'node', threads: 1 }), { decoder: loadImage }),
  };
  try {
    for (const { name, path } of IMAGES) {
      const t = truth.get(name)!;
      for (const k of ['wasm', 'native'] as const) {
        const { faces, counts } = await detectors[k].detectWithStats(path);
        t[k] = { faces, counts };
      }
    }
  } finally {
    detectors.wasm.dispose();
    detectors.native.dispose();
  }
}

/** Same faces: same count and order, boxes and landmarks within `px`, confidences within 1e-4. */
function expectSameFaces(got: Face[], want: Face[], what: string, px = 1e-3): void {
  expect(got.length, `${what}: face count`).toBe(want.length);
  got.forEach((f, i) => {
    const g = want[i];
    f.box.forEach((v, k) => {
      expect(Math.abs(v - g.box[k]), `${what}: face ${i} box[${k}] ${v} vs ${g.box[k]}`).toBeLessThan(px);
    });
    expect(Math.abs(f.confidence - g.confidence), `${what}: face ${i} confidence`).toBeLessThan(1e-4);
    for (const k of Object.keys(f.keypoints) as Array<keyof Face['keypoints']>) {
      for (const c of [0, 1])
        expect(Math.abs(f.keypoints[k][c] - g.keypoints[k][c]), `${what}: face ${i} ${k}[${c}]`).toBeLessThan(px);
    }
  });
}

/** Intersection over union of two `[x, y, w, h]` boxes. */
function iou(a: Face['box'], b: Face['box']): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  const inter = Math.max(0, w) * Math.max(0, h);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}

const STILL_KINDS = [
  'ImageData',
  'ImageBitmap',
  'HTMLImageElement',
  'HTMLCanvasElement',
  'OffscreenCanvas',
  'VideoFrame (of an ImageBitmap)',
  'VideoFrame (of a canvas)',
] as const;

/**
 * Every browser input kind of the core's `readImage` in a real Chromium (no mocks), on the same
 * image: the same pixels and faces as ImageData / ImageBitmap, and as Node; a real WebM in a
 * <video>; and the bad inputs' typed errors. The built page goes to out/worker-inputs-e2e/.
 */
describe.skipIf(chromiumMissing())('browser input kinds in Chromium', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    await buildSite();
    await nodeFaces();
    [browser, server] = await Promise.all([launch(), serveDir(SITE)]);
    page = await browser.newPage();
    errors = watchErrors(page);
    await page.goto(server.url);
    await page.waitForSelector('#state:text("ready")');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const backend of ['onnx-wasm', 'tfjs-wasm'] as const) {
    for (const image of IMAGES) {
      it(`${backend}, ${image.name}: all seven kinds give Node's pixels ` +
        `and faces; a <video> and its VideoFrame give their canvas's`, async () => {
        const t0 = performance.now();
        const errorsBefore = errors.length;
        const r = await page.evaluate(
          ([b, n]) =>
            (globalThis as unknown as { check(b: string, n: string, v: boolean): Promise<InputsCheck> }).check(
              b,
              n,
              true,
            ),
          [backend, image.name] as const,
        );
        const node = truth.get(image.name)!;
        expect(r.backendName).toBe(backend);
        const ref = r.kinds.ImageData;
        console.log(
          `${backend} ${image.name}: ${(performance.now() - t0).toFixed(0)} ` +
            `ms; ${ref.faces.length} faces, counts ${JSON.stringify(ref.counts)}; ` +
            `video ${r.video?.mimeType}, ${r.video?.bytes} bytes`,
        );
        expect(Object.keys(r.kinds).sort()).toEqual([...STILL_KINDS].sort());
        for (const kind of STILL_KINDS) {
          const k = r.kinds[kind];
          // Exactly Node's pixels (sharp's decoding) after readImage, whatever the kind.
          expect({ kind, width: k.width, height: k.height, sha256: k.sha256 }).toEqual({
            kind,
            width: node.width,
            height: node.height,
            sha256: node.sha256,
          });
          // Hence the same faces and stage counts as the ImageData and the ImageBitmap.
          expect(k.counts, kind).toEqual(ref.counts);
          expectSameFaces(k.faces, ref.faces, `${kind} vs ImageData`);
          expectSameFaces(k.faces, r.kinds.ImageBitmap.faces, `${kind} vs ImageBitmap`);
        }
        // The page's faces are Node's (core + loadImage + ONNX backends): onnxruntime-web's
        // WebAssembly build in Node, and onnxruntime-node; within 1e-3 px for tfjs-wasm too.
        expect(ref.faces).toHaveLength(image.faces);
        expect(ref.counts).toEqual(node.wasm.counts);
        expectSameFaces(ref.faces, node.wasm.faces, 'browser vs Node (onnx-wasm)');
        expect(ref.counts).toEqual(node.native.counts);
        expectSameFaces(ref.faces, node.native.faces, 'browser vs Node (onnxruntime-node)');

        // The video is lossy (VP9/VP8): it is compared with a canvas drawn from the same frame.
        const v = r.video!;
        expect(v.readyState).toBeGreaterThanOrEqual(2);
        for (const [what, a, b] of [
          ['<video>', v.video, v.canvasOfVideo],
          ['VideoFrame of the <video>', v.frameOfVideo, v.canvasOfFrame],
        ] as const) {
          expect({ what, width: a.width, height: a.height }).toEqual({ what, width: node.width, height: node.height });
          expect(a.sha256, `${what}: the same pixels as a canvas drawn from it`).toBe(b.sha256);
          expect(a.counts, what).toEqual(b.counts);
          expectSameFaces(a.faces, b.faces, `${what} vs its canvas`);
          // And it still shows the image's faces, in about the same places (the order, by size, may differ).
          expect(a.faces, `${what}: faces`).toHaveLength(ref.faces.length);
          ref.faces.forEach((f, i) => {
            const best = Math.max(...a.faces.map((g) => iou(f.box, g.box)));
            expect(best, `${what}: the still's face ${i}, best IoU`).toBeGreaterThan(0.8);
          });
        }
        expect(errors.slice(errorsBefore), 'errors logged by the page').toEqual([]);
      }, 90_000);
    }
  }

  // The bad inputs fail in readImage, before any network runs: one backend is enough.
  {
    const backend = 'onnx-wasm';
    it(`${backend}: bad browser inputs reject ` +
      `with MtcnnError INVALID_IMAGE, and the ` +
      `detector still works`, async () => {
      const image = IMAGES[0];
      const otherOrigin = server.url.replace('127.0.0.1', 'localhost');
      const errorsBefore = errors.length;
      const { outcomes, afterwards } = await page.evaluate(
        ([b, n, o]) =>
          (
            globalThis as unknown as {
              bad(b: string, n: string, o: string): Promise<{ outcomes: Record<string, Outcome>; afterwards: Read }>;
            }
          ).bad(b, n, o),
        [backend, image.name, otherOrigin] as const,
      );
      for (const [what, o] of Object.entries(outcomes)) console.log(`${what}: ${JSON.stringify(o)}`);
      expect(Object.keys(outcomes)).toHaveLength(12);
      for (const [what, o] of Object.entries(outcomes)) {
        expect({ what, isMtcnnError: o.isMtcnnError, name: o.name, code: o.code }).toEqual({
          what,
          isMtcnnError: true,
          name: 'MtcnnError',
          code: 'INVALID_IMAGE',
        });
      }
      // The messages say what happened.
      expect(outcomes['HTMLImageElement, cross-origin without CORS (taints the canvas)'].message).toMatch(
        /cross-origin/,
      );
      expect(outcomes['HTMLVideoElement, metadata but no frame (HAVE_METADATA)'].note).toBe(
        `${truth.get(image.name)!.width}x${truth.get(image.name)!.height}, readyState 1`,
      );
      expect(outcomes['HTMLVideoElement, metadata but no frame (HAVE_METADATA)'].message).toMatch(/no frame/);
      expect(afterwards.sha256).toBe(truth.get(image.name)!.sha256);
      expectSameFaces(afterwards.faces, truth.get(image.name)!.wasm.faces, 'after the bad inputs');
      // Only the 404 the page provoked on purpose reached the console.
      expect(errors.slice(errorsBefore).filter((e) => !/status of 404/.test(e))).toEqual([]);
    }, 60_000);
  }
});
