import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StageTrace } from '@mtcnn/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDir } from '../scripts/serve.mjs';
import {
  APP_DIST,
  ARTIFACTS,
  chromiumMissing,
  cliStages,
  launch,
  runCli,
  SAMPLE,
  stripCounts,
  visitStages,
  watchErrors,
  type CliStages,
} from './browser.test-util.js';

/**
 * End to end in a real browser (Debian's chromium, WebGL through SwiftShader): the built app and a
 * `mtcnn report` file, on the bundled sample, compared with the Node CLI. Screenshots go to
 * out/visualizer-e2e/ (not committed).
 */
describe.skipIf(chromiumMissing())('the visualizer in Chromium', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let cli: CliStages;

  beforeAll(async () => {
    await stat(join(APP_DIST, 'index.html')).catch(() => {
      throw new Error(`${APP_DIST} is not built: run \`pnpm build\` first (\`pnpm test\` does).`);
    });
    [browser, server, cli] = await Promise.all([launch(), serveDir(APP_DIST), cliStages(SAMPLE)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // onnx-wasm first: the cheap one. tfjs-webgl runs on SwiftShader, ~20 s on 2 cores.
  for (const backend of ['onnx-wasm', 'tfjs-webgl'] as const) {
    it(`runs ${backend}: every stage renders, counts match the CLI, a threshold re-runs no network`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);
      await page.goto(`${server.url}?backend=${backend}`);
      await page.waitForSelector('.status[data-state="done"], .status[data-state="error"]', { timeout: 150_000 });
      expect(await page.getAttribute('.status', 'data-state'), (await page.textContent('.status')) ?? '').toBe('done');
      expect(await page.getAttribute('.status', 'data-backend')).toBe(backend);

      const counts = await stripCounts(page);
      expect(counts.faces).toBe(cli.faces);
      // Same math as the CLI's wasm run; WebGL (float textures) only has to agree on the faces.
      if (backend === 'onnx-wasm') expect(counts).toEqual(cli);
      await visitStages(page, backend, counts);

      // Move the O-Net threshold (0.7 -> 0.99): only post-processing changes, so no network may run.
      const calls = await page.getAttribute('.status', 'data-network-calls');
      const runs = Number(await page.getAttribute('.status', 'data-runs'));
      await page.locator('input[name="onet-threshold"]').evaluate((el: HTMLInputElement) => {
        el.value = '0.99'; // a multiple of the slider's step, or the browser snaps it
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForSelector(`.status[data-state="done"][data-runs="${runs + 1}"]`, { timeout: 30_000 });
      const after = await stripCounts(page);
      expect(after.onet).toBeLessThan(counts.onet);
      expect({ ...after, onet: counts.onet, faces: counts.faces }).toEqual(counts);
      expect(await page.getAttribute('.status', 'data-network-calls')).toBe(calls);
      for (const net of ['pnet', 'rnet', 'onet']) {
        expect(await page.getAttribute(`.stage-card[data-stage="${net}"] .rerun`, 'data-ran')).toBe('0');
      }
      expect(await page.textContent('.status')).toContain('only the post-processing re-ran');
      // WebGL in software (SwiftShader here): the status suggests the faster backend (bug 9).
      if (backend === 'tfjs-webgl') expect(await page.locator('.status button.switch').count()).toBe(1);
      else expect(await page.locator('.status button.switch').count()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, `${backend}-after-threshold.png`), fullPage: true });

      // Export SVG: a standalone file with the panel's title.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('.panel-toolbar .export')]);
      const svg = await readFile((await download.path())!, 'utf8');
      expect(download.suggestedFilename()).toBe('mtcnn-onet.svg');
      expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*O-Net[\s\S]*<\/svg>$/);
      expect(
        await page.evaluate(
          (text) =>
            new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror')?.textContent ?? 'ok',
          svg,
        ),
      ).toBe('ok');
      expect(errors).toEqual([]);
      await page.close();
    }, 240_000);
  }

  it('opens a `mtcnn report` file from disk, offline, with the same stages and keyboard navigation', async () => {
    const file = join(ARTIFACTS, 'report.html');
    const summary = JSON.parse(await runCli(['report', SAMPLE, '-o', file, '-q'])) as { faces: number };
    expect(summary.faces).toBe(cli.faces);
    const html = await readFile(file, 'utf8');
    // Self-contained: no external script, stylesheet or image.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|src="http/);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('.status[data-state="done"], .status[data-state="error"]', { timeout: 60_000 });
    expect(await page.getAttribute('.status', 'data-state')).toBe('done');
    const counts = await stripCounts(page);
    expect(counts).toEqual(cli);
    // The report has the app's explanations: the journey of the most confident face.
    expect(await page.locator('.journey-step[data-step="face"]').count()).toBe(1);
    await visitStages(page, 'report', counts);

    // ... and its questions: dragging a box around a face of the (downloaded) trace names that face.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.download-trace')]);
    const trace = JSON.parse(await readFile((await download.path())!, 'utf8')) as StageTrace;
    expect(trace.faces).toHaveLength(cli.faces);
    const k = trace.faces.length - 1; // the least confident face, not the one the journey opens on
    const [fx, fy, fw, fh] = trace.faces[k].box;
    await page.click('.stage-card[data-stage="candidates"]');
    await page.locator('.panel .image-view svg').scrollIntoViewIfNeeded();
    const corners = await page.evaluate(
      ([x0, y0, x1, y1]) => {
        const m = (document.querySelector('.panel .image-view g.layer') as SVGGElement).getScreenCTM()!;
        const a = new DOMPoint(x0, y0).matrixTransform(m);
        const b = new DOMPoint(x1, y1).matrixTransform(m);
        return [a.x, a.y, b.x, b.y];
      },
      [fx, fy, fx + fw, fy + fh],
    );
    await page.mouse.move(corners[0], corners[1]);
    await page.mouse.down();
    await page.mouse.move(corners[2], corners[3], { steps: 6 });
    await page.mouse.up();
    await page.waitForSelector('.query-answer:not([hidden]) .query-summary');
    expect(await page.textContent('.query-summary')).toContain(`Detected: face ${k + 1},`);
    expect(await page.getAttribute('.journey-step:last-child', 'data-step')).toBe('face');

    // Clicking a suppressed box (on its edge; clicking again cycles through the boxes there) names
    // the box that suppressed it and their IoU.
    await page.click('.stage-card[data-stage="nms"]');
    const victim = page.locator('.panel rect.box.suppressed').first();
    const id = await victim.getAttribute('data-id');
    await victim.scrollIntoViewIfNeeded();
    const box = (await victim.boundingBox())!;
    for (let i = 0; i < 8 && !(await page.textContent('.panel .details'))!.includes(`Box #${id} `); i++)
      await page.mouse.click(box.x + 0.5, box.y + box.height / 2);
    expect(await page.textContent('.panel .details')).toMatch(
      new RegExp(`Box #${id} .*was suppressed by box #\\d+ .*IoU 0\\.\\d{3} > 0\\.5`),
    );
    expect(await page.locator('.panel rect.suppressor').count()).toBe(1);
    expect(await page.locator('.panel rect.intersection').count()).toBe(1);

    // Hovering the P-Net level view moves the window to the cell under the pointer.
    await page.click('.stage-card[data-stage="pnet"]');
    const before = await page.textContent('.kernel-info');
    const level = page.locator('.level-view svg');
    const size = (await level.boundingBox())!;
    await level.hover({ position: { x: size.width * 0.1, y: size.height * 0.3 } }); // scrolls it into view first
    expect(await page.textContent('.kernel-info')).not.toBe(before);

    // Keyboard: Home, then → steps through the stages in order.
    await page.keyboard.press('Home');
    expect(await page.getAttribute('.panel', 'data-stage')).toBe('pyramid');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('.panel', 'data-stage')).toBe('pnet');
    await page.keyboard.press('6');
    expect(await page.getAttribute('.panel', 'data-stage')).toBe('onet');
    expect(errors).toEqual([]);

    // A phone-sized look at the report.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.keyboard.press('2');
    await page.screenshot({ path: join(ARTIFACTS, 'report-phone-pnet.png'), fullPage: true });
    await context.close();
  }, 120_000);
});
