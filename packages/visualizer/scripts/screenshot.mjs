// Regenerates the README's screenshot (docs/visualizer.png) from the built app:
//   pnpm build && node packages/visualizer/scripts/screenshot.mjs
// Debian's chromium + playwright-core, the bundled sample on onnx-wasm, the P-Net panel.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { serveDir } from './serve.mjs';

const out = fileURLToPath(new URL('../../../docs/visualizer.png', import.meta.url));
const stage = process.argv[2] ?? 'pnet';
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
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  await page.goto(`${url}?backend=onnx-wasm`);
  await page.waitForSelector('.status[data-state="done"]', { timeout: 120_000 });
  await page.click('.options-box summary'); // fold the options: the stages are the point
  await page.click(`.stage-card[data-stage="${stage}"]`);
  await page.mouse.move(0, 0);
  // The head, the strip and the panel's level view: enough to see what the tool is.
  const png = await page.screenshot({ fullPage: true, clip: { x: 0, y: 0, width: 1200, height: 1240 } });
  mkdirSync(fileURLToPath(new URL('../../../docs/', import.meta.url)), { recursive: true });
  // A palette PNG keeps the file small for the repository.
  await sharp(png).png({ palette: true, quality: 90, effort: 10 }).toFile(out);
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await close();
}
