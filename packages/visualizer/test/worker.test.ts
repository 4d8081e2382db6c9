import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDir } from '../scripts/serve.mjs';
import { APP_DIST, chromiumMissing, launch, stripCounts, watchErrors, type CliStages } from './browser.test-util.js';

/** Records every animation frame's time from the page's start (before the app's own script runs). */
const FRAME_RECORDER = `
  window.__frames = [];
  const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
`;

interface Run {
  counts: CliStages;
  worker: string | null;
  detectMs: number;
  /** Animation frames drawn while the detection ran, and the longest wait between two (ms). */
  frames: number;
  longestGap: number;
}

/** Opens the app, waits for the first detection, and measures the frames drawn during it. */
async function open(browser: Browser, url: string): Promise<Run> {
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.addInitScript(FRAME_RECORDER);
  await page.goto(url);
  await page.waitForSelector('.status[data-state="done"], .status[data-state="error"]', { timeout: 150_000 });
  expect(await page.getAttribute('.status', 'data-state'), (await page.textContent('.status')) ?? '').toBe('done');
  const timing = await page.evaluate(() => {
    const start = performance.getEntriesByName('mtcnn-detect-start')[0].startTime;
    const end = performance.getEntriesByName('mtcnn-detect-end')[0].startTime;
    const frames = (window as unknown as { __frames: number[] }).__frames.filter((t) => t >= start && t <= end);
    // Gaps between frames, counting from the start and to the end of the detection.
    const times = [start, ...frames, end];
    let longestGap = 0;
    for (let i = 1; i < times.length; i++) longestGap = Math.max(longestGap, times[i] - times[i - 1]);
    return { detectMs: end - start, frames: frames.length, longestGap };
  });
  const run = { counts: await stripCounts(page), worker: await page.getAttribute('.status', 'data-worker'), ...timing };
  expect(errors).toEqual([]);
  await page.close();
  return run;
}

/**
 * The app detects in a Web Worker (@mtcnn/worker): the page keeps drawing frames while the
 * networks run, and the stages are those of the same backend on the page (`?worker=0`).
 */
describe.skipIf(chromiumMissing())('the visualizer detects in a worker', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    [browser, server] = await Promise.all([launch(), serveDir(APP_DIST)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps the page drawing while detecting, with the same stages as on the page (onnx-wasm, tfjs-wasm)', async () => {
    for (const backend of ['onnx-wasm', 'tfjs-wasm']) {
      const inWorker = await open(browser, `${server.url}?backend=${backend}`);
      const onPage = await open(browser, `${server.url}?backend=${backend}&worker=0`);
      console.log(
        `${backend}: in the worker ${inWorker.detectMs.toFixed(0)} ms, ${inWorker.frames} ` +
          `frames, longest gap ${inWorker.longestGap.toFixed(0)} ms; ` +
          `on the page ${onPage.detectMs.toFixed(0)} ms, ${onPage.frames} ` +
          `frames, longest gap ${onPage.longestGap.toFixed(0)} ms`,
      );
      expect([inWorker.worker, onPage.worker]).toEqual(['true', 'false']);
      expect(inWorker.counts).toEqual(onPage.counts);
      expect(inWorker.counts.faces).toBe(4);
      // A frame at least every 250 ms, and 10 or more per second on average.
      expect(inWorker.longestGap).toBeLessThan(250);
      expect(inWorker.frames).toBeGreaterThanOrEqual(Math.floor(inWorker.detectMs / 100));
    }
  }, 240_000);
});
