// Regenerates the README's screenshots from the built app, on the bundled sample (public domain):
//   pnpm build && node packages/visualizer/scripts/screenshot.mjs
// docs/visualizer.png: the stage strip, the journey and the P-Net panel.
// docs/visualizer-why.png: "why was this face not detected?" for an astronaut lost to an O-Net threshold of 0.999.
// Debian's chromium + playwright-core, onnx-wasm, a 1440x900 laptop viewport.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { serveDir } from './serve.mjs';

const docs = fileURLToPath(new URL('../../../docs/', import.meta.url));
const { url, close } = await serveDir(fileURLToPath(new URL('../dist/app', import.meta.url)));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
/** A palette PNG keeps the file small for the repository. */
const save = (png, name) =>
  sharp(png)
    .png({ palette: true, quality: 90, effort: 10 })
    .toFile(`${docs}${name}`)
    .then(() => console.log(`wrote docs/${name}`));
try {
  mkdirSync(docs, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${url}?backend=onnx-wasm`);
  await page.waitForSelector('.status[data-state="done"]', { timeout: 120_000 });
  await page.click('.options-box summary'); // fold the options: the stages are the point
  await page.click('.stage-card[data-stage="pnet"]');
  await page.mouse.move(0, 0);
  const top = async (sel) => (await page.locator(sel).boundingBox()).y;
  const from = await top('.viewer-host');
  const to = await top('.panel .image-view');
  await save(
    await page.screenshot({ fullPage: true, clip: { x: 0, y: from - 8, width: 1440, height: to - from } }),
    'visualizer.png',
  );

  // O-Net threshold 0.999 (typed: the slider's neighbour box takes any value): the astronaut at
  // about [701, 34, 20, 25] (O-Net 0.9987) is lost. Drag around it and ask why.
  await page.click('.options-box summary');
  await page.fill('input[name="onet-threshold-value"]', '0.999');
  await page.waitForSelector('.status[data-runs="2"][data-state="done"]', { timeout: 120_000 });
  await page.click('.options-box summary');
  await page.click('.stage-card[data-stage="candidates"]');
  await page.locator('.panel .image-view svg').scrollIntoViewIfNeeded();
  const [a, b] = await page.evaluate(() => {
    const m = document.querySelector('.panel .image-view g.layer').getScreenCTM();
    const at = (x, y) => {
      const p = new DOMPoint(x, y).matrixTransform(m);
      return [p.x, p.y];
    };
    return [at(699, 31), at(723, 61)];
  });
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  await page.mouse.move(b[0], b[1], { steps: 6 });
  await page.mouse.up();
  await page.waitForSelector('.query-answer:not([hidden])');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  const start = await top('.strip-host');
  const end = await top('.panel .image-view');
  const shot = await page.screenshot({
    fullPage: true,
    clip: { x: 0, y: start - 8, width: 1440, height: end - start + 8 },
  });
  console.log(await page.textContent('.query-summary'));
  await save(shot, 'visualizer-why.png');
} finally {
  await browser.close();
  await close();
}
