import { readFile, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { StageTrace } from '@mtcnn/core';
import { NETWORKS } from '@mtcnn/models';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDir } from '../scripts/serve.mjs';
import { fmt } from '../src/model.js';
import { layerText } from '../src/renderers/network.js';
import { DEV_DIR, sharedAvailable, warnSharedMissing } from '../src/real-trace.test-util.js';
import { APP_DIST, ARTIFACTS, chromiumMissing, launch, watchErrors } from './browser.test-util.js';

/**
 * The "why" layer and the debugger in a real browser (Debian's chromium, the built app on
 * onnx-wasm, the dev images of ../shared): a face's journey through every stage, the point query
 * on a missed face, the network diagrams, and one regression test per bug of issue 14 that needs
 * a browser (the others are in the jsdom suite). One page is shared by the cases, in order.
 * Screenshots at laptop (1440x900) and phone (390x844) size go to out/visualizer-e2e/.
 */
const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** IoU, written out here so that the expected answers do not come from the code under test. */
function iou(a: readonly number[], b: readonly number[]): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const i = w * h;
  return i / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
}

if (!sharedAvailable) warnSharedMissing('the visualizer debugger in Chromium');
describe.skipIf(chromiumMissing() || !sharedAvailable)('the visualizer debugger in Chromium', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let page: Page;
  let errors: string[];
  let runs = 0;

  const status = async (): Promise<string> => (await page.textContent('.status')) ?? '';
  /** Waits for the next detection to finish (the status line counts the runs). */
  const nextRun = async (): Promise<void> => {
    runs++;
    await page.waitForSelector(`.status[data-runs="${runs}"][data-state="done"], .status[data-state="error"]`, {
      timeout: 150_000,
    });
    expect(await page.getAttribute('.status', 'data-state'), await status()).toBe('done');
  };
  const open = async (file: string): Promise<void> => {
    await page.setInputFiles('input[type=file]', join(DEV_DIR, file));
    await nextRun();
  };
  const stage = async (id: string): Promise<void> => {
    await page.click(`.stage-card[data-stage="${id}"]`);
    await page.waitForSelector(`.panel[data-stage="${id}"] .panel-title`);
  };
  /** The trace the page shows, through its "Trace JSON" download. */
  const trace = async (): Promise<StageTrace> => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.download-trace')]);
    return JSON.parse(await readFile((await download.path())!, 'utf8')) as StageTrace;
  };
  const pressed = (label: string): Promise<string | null> =>
    page.getAttribute(`.panel .chips[aria-label="${label}"] .chip[aria-pressed="true"]`, 'data-value');
  const shot = (name: string, fullPage = true): Promise<Buffer> =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });

  beforeAll(async () => {
    await stat(join(APP_DIST, 'index.html')).catch(() => {
      throw new Error(`${APP_DIST} is not built: run \`pnpm build\` first (\`pnpm test\` does).`);
    });
    [browser, server] = await Promise.all([launch(), serveDir(APP_DIST)]);
    page = await browser.newPage({ viewport: LAPTOP });
    errors = watchErrors(page);
    // Before the app runs: every progress state the status line goes through (bug 9), and, for
    // bug 6, how many pyramid levels already had their exact pixels when the panel was inserted.
    await page.addInitScript(() => {
      const w = window as unknown as { __progress: string[]; __firstLevels: Array<[number, number]> };
      w.__progress = [];
      w.__firstLevels = [];
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target as Element;
          if (r.type === 'attributes' && el.classList?.contains('status')) {
            const p = el.getAttribute('data-progress');
            if (p && w.__progress.at(-1) !== p) w.__progress.push(p);
          }
          for (const n of Array.from(r.addedNodes)) {
            const svg = n instanceof Element ? n.querySelector?.('.pyramid-view svg') : null;
            if (svg)
              w.__firstLevels.push([
                svg.querySelectorAll('g.level').length,
                svg.querySelectorAll('image.exact').length,
              ]);
          }
        }
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-progress'] });
    });
    // No ?backend=: the app picks one by capability (bug 9).
    await page.goto(server.url);
    await nextRun();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('picks ONNX Runtime WebAssembly by default without a GPU, and shows progress per stage (bug 9)', async () => {
    expect(await page.getAttribute('.status', 'data-gpu')).toBe('software'); // SwiftShader here
    expect(await page.getAttribute('.status', 'data-default-backend')).toBe('onnx-wasm');
    expect(await page.getAttribute('.status', 'data-backend')).toBe('onnx-wasm');
    expect(await page.inputValue('select[name="backend"]')).toBe('onnx-wasm');
    expect(await page.textContent('.backend-why')).toMatch(/no GPU found.*SwiftShader/);
    const progress = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    expect(progress).toEqual(['pnet', 'rnet', 'onet']);
  });

  it("follows a final face of multiface.jpg through every stage, with the trace's ids (the journey)", async () => {
    await open('multiface.jpg');
    const t = await trace();
    expect(t.faces.length).toBeGreaterThanOrEqual(5);
    await stage('onet');
    const k = 1; // the second face, not the default (most confident) one
    await page.click(`.result-list .ref-link[data-focus-key="face:${k}"]`);
    await page.waitForSelector(`.result-list tr[data-face="${k}"].selected`);
    // The strip's links name the chain; each id is the trace's own link to the next.
    const refs = await page.$$eval('.journey-step .step-text .ref-link', (els) =>
      els.map((e) => e.getAttribute('data-ref')!),
    );
    const id = (stageName: string): number => Number(refs.find((r) => r.startsWith(`${stageName}:`))!.split(':')[1]);
    const [p, r, o] = [id('pnet'), id('rnet'), id('onet')];
    expect(refs).toContain(`face:${k}`);
    expect(t.faceSources[k]).toBe(o);
    expect(t.onet.inputs[o].source).toBe(r);
    expect(t.rnet.inputs[r].source).toBe(p);
    expect(await page.$$eval('.journey-step', (els) => els.map((e) => e.getAttribute('data-step')))).toEqual([
      'pnet',
      'scale-nms',
      'cross-nms',
      'regress',
      'rnet',
      'onet',
      'face',
    ]);
    const cand = t.pnet.candidates[p];
    // Every stage shows that lineage.
    await stage('pnet');
    expect(await pressed('Level')).toBe(String(cand.level));
    expect(await page.textContent('.kernel-info')).toContain(`cell (${cand.cell[0]}, ${cand.cell[1]})`);
    expect(await page.textContent('.kernel-info')).toContain(`a candidate (#${p})`);
    await stage('candidates');
    expect(await page.textContent('.panel .details')).toContain(`#${p} · level ${cand.level} `);
    await stage('nms');
    expect(await page.textContent('.panel .details')).toContain(`Box #${p} `);
    await stage('rnet');
    expect(await page.getAttribute('.panel g.crop.selected', 'data-id')).toBe(String(r));
    expect(await page.textContent('.panel .details')).toContain(`P-Net candidate #${p}`);
    await stage('onet');
    expect(await page.getAttribute('.panel g.crop.selected', 'data-id')).toBe(String(o));
    expect(await page.textContent('.panel .details')).toContain(`R-Net crop #${r}`);
    // A link in the strip opens its stage with that box.
    await page.click(`.journey-step .ref-link[data-ref="rnet:${r}"]`);
    expect(await page.getAttribute('.panel', 'data-stage')).toBe('rnet');
    await shot('laptop-journey-rnet');
    for (const s of ['pyramid', 'pnet', 'candidates', 'nms', 'onet']) {
      await stage(s);
      await shot(`laptop-${s}`);
    }
  });

  it(
    'answers "why not detected?" for the face at [622, 198, 73, ' +
      '99] with min face 150: the stage and score that lost it',
    async () => {
      await page.fill('input[name="min-face-value"]', '150');
      await page.press('input[name="min-face-value"]', 'Tab');
      await nextRun();
      const t = await trace();
      expect(t.options.minFaceSize).toBe(150);
      await stage('candidates');
      // Drag the face's box on the image view (image pixels to screen through the SVG's own transform).
      await page.locator('.panel .image-view svg').scrollIntoViewIfNeeded();
      const corners = await page.evaluate(() => {
        const layer = document.querySelector('.panel .image-view g.layer') as SVGGElement;
        const m = layer.getScreenCTM()!;
        const at = (x: number, y: number): [number, number] => {
          const p = new DOMPoint(x, y).matrixTransform(m);
          return [p.x, p.y];
        };
        return [at(622, 198), at(622 + 73, 198 + 99)];
      });
      await page.mouse.move(corners[0][0], corners[0][1]);
      await page.mouse.down();
      await page.mouse.move((corners[0][0] + corners[1][0]) / 2, (corners[0][1] + corners[1][1]) / 2, { steps: 4 });
      await page.mouse.move(corners[1][0], corners[1][1], { steps: 4 });
      await page.mouse.up();
      await page.waitForSelector('.query-answer:not([hidden]) .query-summary');
      const summary = (await page.textContent('.query-summary'))!;
      // From the trace: every R-Net crop over the face scored <= 0.7; the best of them lost it.
      const region = [622, 198, 622 + 73, 198 + 99];
      const over = t.rnet.inputs.filter((c) => iou(c.box, region) >= 0.3);
      expect(over.length).toBeGreaterThan(0);
      expect(over.every((c) => !c.passed)).toBe(true);
      expect(
        t.faces.some((f) => iou([f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]], region) >= 0.5),
      ).toBe(false);
      const best = over.reduce((a, b) => (b.score > a.score ? b : a));
      expect(summary).toContain('Lost at R-Net');
      expect(summary).toContain(`#${best.id}`);
      expect(summary).toContain(`scored ${fmt.score(best.score)} ≤ 0.7`);
      expect(await page.getAttribute('.query-summary', 'data-verdict')).toBe('rnet-threshold');
      // Every R-Net crop over it is listed with its fate.
      const listed = await page.$$eval('.query-stage[data-stage="rnet"] .ref-link', (els) =>
        els.map((e) => e.getAttribute('data-ref')),
      );
      expect(listed.sort()).toEqual(over.map((c) => `rnet:${c.id}`).sort());
      expect(await page.textContent('.query-answer')).toMatch(/smaller than the min face size \(150 px\)/);
      // The journey follows the crop that decided it, and ends there.
      expect(await page.getAttribute('.journey-step:last-child', 'data-step')).toBe('rnet');
      expect(await page.getAttribute('.journey-step:last-child', 'class')).toContain('fail');
      await shot('laptop-why-not-detected');
      // The explanation as a file says the same.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('.download-explanation')]);
      const text = await readFile((await download.path())!, 'utf8');
      expect(text).toContain(`Answer: ${summary}`);
      await page.fill('input[name="min-face-value"]', '20');
      await page.press('input[name="min-face-value"]', 'Tab');
      await nextRun();
    },
  );

  it('draws P-Net, R-Net and O-Net from the architecture data of @mtcnn/models', async () => {
    for (const [panel, net] of [
      ['pnet', 'pnet'],
      ['rnet', 'rnet'],
      ['onet', 'onet'],
    ] as const) {
      await stage(panel);
      const spec = NETWORKS[net];
      const sel = `.panel .network-${net}`;
      expect(await page.locator(`${sel} g.layer`).count()).toBe(spec.trunk.length);
      expect(await page.locator(`${sel} g.head`).count()).toBe(spec.heads.length);
      const labels = await page.$$eval(`${sel} g.layer text:not(.shape)`, (els) => els.map((e) => e.textContent));
      expect(labels).toEqual(spec.trunk.map(layerText));
    }
    // P-Net's heads light up as the output of the current window; a sweep lights the layers in turn.
    await stage('pnet');
    expect(await page.locator('.panel .network-pnet g.head.active').count()).toBe(2);
    await page.click('.panel button.play');
    await page.waitForFunction(() => document.querySelector('.panel .network-pnet g.layer.active') !== null);
    await page.click('.panel button.play');
  });

  it("bug 1: a new image opens every panel on its own best box, not on the last image's level and cell", async () => {
    await stage('pnet');
    await page.click('.panel .chips[aria-label="Level"] .chip[data-value="3"]');
    await stage('nms');
    await page.click('.panel .chips[aria-label="Level"] .chip[data-value="3"]');
    await open('no-faces.jpg');
    const t = await trace();
    expect(t.faces).toEqual([]);
    // The box that got furthest: the best R-Net crop; its window's level had candidates.
    const best = t.rnet.inputs.reduce((a, b) => (b.score > a.score ? b : a));
    const root = t.pnet.candidates[best.source];
    await stage('nms');
    expect(await pressed('Level')).toBe(String(root.level));
    await stage('pnet');
    expect(await pressed('Level')).toBe(String(root.level));
    expect(await page.textContent('.kernel-info')).toContain(`cell (${root.cell[0]}, ${root.cell[1]})`);
    expect(await page.textContent('.kernel-info')).toContain(`${fmt.score(root.score)} ≥ 0.6`);
  });

  it('bug 6: a large image is pictured off the page (or bit by bit), and the layout follows the width', async () => {
    await stage('pyramid');
    await page.evaluate(() => {
      (window as unknown as { __firstLevels: unknown[] }).__firstLevels.length = 0;
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask' });
    });
    await open('shea_whigham.jpg'); // 2048x1991, 14 levels
    const t = await trace();
    // The worker pictured every level as P-Net got it: the panel is drawn with them at once.
    const [first] = await page.evaluate(
      () => (window as unknown as { __firstLevels: Array<[number, number]> }).__firstLevels,
    );
    expect(first).toEqual([t.pyramid.length, t.pyramid.length]);
    const hrefs = await page.$$eval('.panel .pyramid-view image.pixels', (els) =>
      els.map((e) => e.getAttribute('href')),
    );
    expect(hrefs.every((h) => h?.startsWith('blob:'))).toBe(true);
    const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    console.log(
      `bug 6: longest task on the page while detecting and drawing a 2048x1991 ` +
        `image: ${Math.max(0, ...long).toFixed(0)} ms (load average ${loadavg()[0].toFixed(1)})`,
    );
    // Narrower panel: the rows are laid out again.
    const wide = await page.getAttribute('.panel .pyramid-view svg', 'viewBox');
    await page.setViewportSize({ width: 560, height: 900 });
    await page.waitForFunction(
      (vb) => document.querySelector('.panel .pyramid-view svg')?.getAttribute('viewBox') !== vb,
      wide,
    );
    await page.setViewportSize(LAPTOP);
    await open('multiface.jpg');

    // Without the worker (the report, ?worker=0) the page makes the pictures itself, one per task,
    // after the panel is drawn: it is on the page before any level's pixels.
    const onPage = await browser.newPage({ viewport: LAPTOP });
    await onPage.addInitScript(() => {
      const w = window as unknown as { __firstLevels: Array<[number, number]> };
      w.__firstLevels = [];
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of Array.from(r.addedNodes)) {
            const svg = n instanceof Element ? n.querySelector?.('.pyramid-view svg') : null;
            if (svg)
              w.__firstLevels.push([
                svg.querySelectorAll('g.level').length,
                svg.querySelectorAll('image.exact').length,
              ]);
          }
      }).observe(document, { subtree: true, childList: true });
    });
    await onPage.goto(`${server.url}?backend=onnx-wasm&worker=0`);
    await onPage.waitForSelector('.status[data-state="done"]', { timeout: 150_000 });
    const levels = Number(await onPage.getAttribute('.stage-card[data-stage="pyramid"] .count', 'data-count'));
    await onPage.waitForFunction(
      (n) => document.querySelectorAll('.panel .pyramid-view image.pixels.exact').length === n,
      levels,
    );
    const [firstOnPage] = await onPage.evaluate(
      () => (window as unknown as { __firstLevels: Array<[number, number]> }).__firstLevels,
    );
    expect(firstOnPage).toEqual([levels, 0]);
    await onPage.close();
  });

  it(
    'bug 7: Enter on a level chip keeps the focus there; ' + 'crops are reached with Tab and picked with Enter',
    async () => {
      await stage('pnet');
      await page.focus('.panel .chips[aria-label="Level"] .chip[data-value="2"]');
      await page.keyboard.press('Enter');
      expect(await pressed('Level')).toBe('2');
      expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.focusKey)).toBe('chip:Level:2');
      await stage('rnet');
      const first = await page.getAttribute('.panel g.crop:nth-of-type(2)', 'data-id');
      await page.focus('.panel g.crop[data-focus-key]');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (document.activeElement as SVGElement).dataset.id)).toBe(first);
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('.panel g.crop.selected', 'data-id')).toBe(first);
      expect(await page.evaluate(() => (document.activeElement as SVGElement).dataset.id)).toBe(first);
      // NMS boxes: the image is a tab stop, the arrows pick boxes by score (and do not change the stage).
      await stage('nms');
      await page.focus('.panel .image-view svg.viz');
      const before = await page.textContent('.panel .details');
      await page.keyboard.press('ArrowRight');
      expect(await page.getAttribute('.panel', 'data-stage')).toBe('nms');
      expect(await page.textContent('.panel .details')).not.toBe(before);
    },
  );

  it('bug 11: every image view zooms (and zooms to the selected box)', async () => {
    // The most confident face again (a face near the middle of multiface.jpg, so it can be centred).
    if ((await page.locator('.journey-reset').count()) > 0) await page.click('.journey-reset');
    await stage('nms');
    const scale = async (): Promise<number> => {
      const t = (await page.getAttribute('.panel .image-view g.zoom', 'transform')) ?? '';
      return Number(/scale\(([\d.]+)\)/.exec(t)?.[1] ?? 1);
    };
    const transform = async (): Promise<string> =>
      (await page.getAttribute('.panel .image-view g.zoom', 'transform')) ?? '';
    /** The scale once the zoom's transition settled (the transform the same 150 ms apart). */
    const settled = async (): Promise<number> => {
      let last: string | undefined;
      for (;;) {
        await page.waitForTimeout(150);
        const t = await transform();
        if (t === last) return scale();
        last = t;
      }
    };
    /** Polled, not sampled: on a loaded machine the transition may not have started 300 ms after the click. */
    const scaleBecomes = (k: number) => expect.poll(scale, { interval: 100, timeout: 30_000 }).toBeCloseTo(k, 3);
    const k0 = await settled();
    await page.click('.panel .image-view .zoom-in');
    await scaleBecomes(Math.min(40, k0 * 1.6));
    // Zoom to the selected box: it ends up in the middle of the view.
    await page.click('.panel .image-view .zoom-focus');
    /** How far the selected box's centre is from the view's, as fractions of the view's size. */
    const offCentre = async (): Promise<number> => {
      const view = (await page.locator('.panel .image-view svg.viz').boundingBox())!;
      const sel = (await page.locator('.panel .focus rect').first().boundingBox())!;
      return Math.max(
        Math.abs(sel.x + sel.width / 2 - (view.x + view.width / 2)) / view.width,
        Math.abs(sel.y + sel.height / 2 - (view.y + view.height / 2)) / view.height,
      );
    };
    await expect.poll(offCentre, { interval: 100, timeout: 30_000 }).toBeLessThan(0.05);
    await settled();
    // The zoom is shared: the next stage's image shows the same part.
    const k = await scale();
    await stage('rnet');
    expect(await scale()).toBeCloseTo(k, 6);
    await page.click('.panel .image-view .zoom-reset');
    await scaleBecomes(1);

    // Pan: in "drag pans" mode a drag moves the zoomed image.
    await page.click('.panel .image-view .zoom-in');
    await scaleBecomes(1.6);
    await settled();
    await page.click('.panel .image-view .drag-mode');
    expect(await page.getAttribute('.panel .image-view .drag-mode', 'aria-pressed')).toBe('true');
    const translate = async (): Promise<string> =>
      /translate\(([^)]*)\)/.exec((await page.getAttribute('.panel .image-view g.zoom', 'transform')) ?? '')?.[1] ?? '';
    const before = await translate();
    await page.locator('.panel .image-view svg.viz').scrollIntoViewIfNeeded();
    const v = (await page.locator('.panel .image-view svg.viz').boundingBox())!;
    // A point of the image on screen (the view can be taller than the window).
    const [px, py] = [v.x + v.width / 2, Math.max(v.y, 0) + 120];
    await page.mouse.move(px, py);
    await page.mouse.down();
    await page.mouse.move(px + 60, py + 30, { steps: 5 });
    await page.mouse.up();
    expect(await translate()).not.toBe(before);
    await page.click('.panel .image-view .drag-mode'); // back to "drag asks why"
    await page.click('.panel .image-view .zoom-reset');
    await scaleBecomes(1);

    // Every image view of every stage zooms: its + button scales that view's picture.
    for (const s of ['pnet', 'candidates', 'nms', 'rnet', 'onet']) {
      await stage(s);
      const views = page.locator('.panel figure:has(> .view-tools)');
      const n = await views.count();
      expect(n, s).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) {
        const view = views.nth(i);
        // Poll until the 200 ms transition ends: a loaded machine can take longer than any fixed wait.
        const viewScale = async (): Promise<number> => {
          const t = (await view.locator('g.zoom').first().getAttribute('transform')) ?? '';
          return Number(/scale\(([\d.]+)\)/.exec(t)?.[1] ?? 1);
        };
        await view.locator('.zoom-in').click();
        await expect.poll(viewScale, { message: `${s} view ${i}`, timeout: 10_000 }).toBeCloseTo(1.6, 6);
        await view.locator('.zoom-reset').click();
        await expect.poll(viewScale, { message: `${s} view ${i} reset`, timeout: 10_000 }).toBe(1);
      }
    }
  });

  it('bug 12: the result is large, with its keypoints and the faces as a list and JSON', async () => {
    await stage('onet');
    const t = await trace();
    const panelW = (await page.locator('.panel').boundingBox())!.width;
    const viewW = (await page.locator('.panel .result-view svg').boundingBox())!.width;
    expect(viewW).toBeGreaterThan(0.9 * panelW);
    expect(await page.locator('.panel .result circle.result-landmark').count()).toBe(5 * t.faces.length);
    expect(await page.locator('.panel .result-list tbody tr').count()).toBe(t.faces.length);
    expect(JSON.parse((await page.textContent('.panel .result-json pre'))!)).toEqual(t.faces);
  });

  it('bug 5: Export SVG keeps the captions, legends and numbers at their on-screen size, without hints', async () => {
    await stage('pnet');
    const shown = (await page.locator('.panel .level-view svg').boundingBox())!.width;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.panel-toolbar .export')]);
    const svg = await readFile((await download.path())!, 'utf8');
    const caption = (await page.textContent('.panel .panel-caption'))!;
    const check = await page.evaluate(
      ([text, cap]) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        const lines = Array.from(doc.documentElement.querySelectorAll(':scope > text')).map((t) => t.textContent);
        const level = Array.from(doc.querySelectorAll('svg.viz')).find((s) =>
          s.getAttribute('data-caption')?.startsWith('Level'),
        );
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          words: cap.split(/\s+/).every((w) => lines.join(' ').includes(w)),
          legend: lines.includes('P 0') || lines.join(' ').includes('Level'),
          numbers: lines.some((l) => l?.includes('x1 = ⌊(2x + 1) / s⌋')),
          hints: lines.some((l) => /Hover or tap|Click /.test(l ?? '')),
          levelWidth: Number(level?.getAttribute('width')),
          width: Number(doc.documentElement.getAttribute('width')),
        };
      },
      [svg, caption] as const,
    );
    expect(check).toMatchObject({ error: null, words: true, numbers: true, hints: false });
    expect(check.levelWidth).toBeCloseTo(Math.min(shown, check.width - 32), 0);
    // Pictures are inlined: the file stands alone.
    expect(svg).not.toContain('blob:');
  });

  it('bug 10: on a phone the stages come first, all six visible, nothing overflows', async () => {
    const phone = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    const phoneErrors = watchErrors(phone);
    await phone.goto(server.url);
    await phone.waitForSelector('.status[data-state="done"]', { timeout: 150_000 });
    // The options start folded; the stage panel begins on the first screen (it was ~2,200 px down).
    expect(await phone.getAttribute('.options-box', 'open')).toBeNull();
    expect((await phone.locator('.panel-host').boundingBox())!.y).toBeLessThan(PHONE.height);
    // Six stage cards, none past the right edge; the strip does not scroll sideways.
    const cards = await phone.$$eval('.stage-card', (els) => els.map((e) => e.getBoundingClientRect().right));
    expect(cards).toHaveLength(6);
    for (const right of cards) expect(right).toBeLessThanOrEqual(PHONE.width);
    expect(await phone.$eval('.strip', (e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    // The backend select stays inside its card.
    const select = (await phone.locator('select[name="backend"]').boundingBox())!;
    const card = (await phone.locator('.source').boundingBox())!;
    expect(select.x + select.width).toBeLessThanOrEqual(card.x + card.width);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: join(ARTIFACTS, 'phone-top.png') });
    for (const s of ['pyramid', 'pnet', 'candidates', 'nms', 'rnet', 'onet']) {
      await phone.click(`.stage-card[data-stage="${s}"]`);
      await phone.waitForSelector(`.panel[data-stage="${s}"] .panel-title`);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await phone.screenshot({ path: join(ARTIFACTS, `phone-${s}.png`), fullPage: true });
    }
    expect(phoneErrors).toEqual([]);
    await phone.close();
  });

  it('ran without a page error', () => {
    expect(errors).toEqual([]);
  });
});
