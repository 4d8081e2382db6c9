import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWeightsDir, MANIFEST_FILE, SHARD_FILE } from '@mtcnn/models/node';
import type { Face } from '@mtcnn/core';
// The visualizer's browser setup (Debian chromium through playwright-core) and its static server.
import { ARTIFACTS, chromiumMissing, launch, SAMPLE, watchErrors } from '../../visualizer/test/browser.test-util.js';
import { serveDir } from '../../visualizer/scripts/serve.mjs';

const PKG = dirname(dirname(fileURLToPath(import.meta.url)));
const SITE = join(ARTIFACTS, '..', 'worker-e2e');

/** Builds test/page with Vite, next to the weights, tfjs's .wasm files and the sample image. */
async function buildSite(): Promise<void> {
  const { build } = await import('vite');
  await rm(SITE, { recursive: true, force: true });
  await build({
    root: join(PKG, 'test', 'page'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: SITE, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192 },
    worker: { format: 'es' },
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
  await copyFile(SAMPLE, join(SITE, 'sample.jpg'));
}

interface Timed {
  faces: Face[];
  counts: Record<string, number>;
  levels: number;
  ms: number;
  frames: number;
  longestFrameGap: number;
}

/**
 * The worker detector in a real browser, on every browser backend: the same faces as the same
 * backend on the main thread, while the page keeps drawing frames. Built pages go to
 * out/worker-e2e/ (not committed).
 */
describe.skipIf(chromiumMissing())('@mtcnn/worker in Chromium', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    await buildSite();
    [browser, server] = await Promise.all([launch(), serveDir(SITE)]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // onnx-wasm and tfjs-wasm first: the cheap ones. tfjs-webgl runs on SwiftShader (CPU), slowly.
  for (const backend of ['onnx-wasm', 'tfjs-wasm', 'tfjs-webgl'] as const) {
    it(`${backend}: the worker finds the main thread's faces, and the page keeps drawing meanwhile`, async () => {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      await page.waitForSelector('#state:text("ready")');
      const r = await page.evaluate(
        (b) =>
          (
            globalThis as unknown as {
              check(b: string): Promise<{ worker: Timed; main: Timed; backendName: string; aborted: string }>;
            }
          ).check(b),
        backend,
      );
      await page.close();
      const { worker, main } = r;
      console.log(
        `${backend}: worker ${worker.ms.toFixed(0)} ms, ${worker.frames} frames ` +
          `drawn meanwhile, longest gap ${worker.longestFrameGap.toFixed(0)} ms; ` +
          `main thread ${main.ms.toFixed(0)} ms, ${main.frames} ` +
          `frames, longest gap ${main.longestFrameGap.toFixed(0)} ms`,
      );
      expect(r.backendName).toBe(backend);
      expect(r.aborted).toBe('ABORTED');
      // The sample is the astronaut at 4 sizes.
      expect(worker.faces).toHaveLength(4);
      expect(worker.counts).toEqual(main.counts);
      expect(worker.levels).toBe(main.counts.scales); // the trace came back
      worker.faces.forEach((f, i) => {
        const g = main.faces[i];
        f.box.forEach((v, k) => {
          expect(Math.abs(v - g.box[k])).toBeLessThan(1e-3);
        });
        expect(Math.abs(f.confidence - g.confidence)).toBeLessThan(1e-4);
        for (const k of Object.keys(f.keypoints) as Array<keyof Face['keypoints']>) {
          expect(Math.abs(f.keypoints[k][0] - g.keypoints[k][0])).toBeLessThan(1e-3);
          expect(Math.abs(f.keypoints[k][1] - g.keypoints[k][1])).toBeLessThan(1e-3);
        }
      });
      // Responsive: frames kept coming while the worker detected (at least one every 250 ms, and
      // at 10 fps or more on average) — the main-thread detection is printed above for contrast.
      expect(worker.longestFrameGap).toBeLessThan(250);
      expect(worker.frames).toBeGreaterThanOrEqual(Math.floor(worker.ms / 100));
      expect(errors).toEqual([]);
    }, 240_000);
  }
});
