import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';

/** Paths and helpers for the browser tests (Debian's chromium driven by playwright-core). */
export const CHROMIUM = '/usr/bin/chromium';
export const PKG = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO = join(PKG, '..', '..');
export const APP_DIST = join(PKG, 'dist', 'app');
export const SAMPLE = join(REPO, 'examples', 'astronaut-collage.jpg');
export const CLI = join(REPO, 'packages', 'cli', 'dist', 'bin.js');
/** Screenshots land here (gitignored: /out/). */
export const ARTIFACTS = join(REPO, 'out', 'visualizer-e2e');

export const STAGES = ['pyramid', 'pnet', 'candidates', 'nms', 'rnet', 'onet'] as const;

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // The machine's known-good flags: no sandbox as root, and no background network traffic.
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
}

export function chromiumMissing(): boolean {
  if (existsSync(CHROMIUM)) return false;
  const line = '!'.repeat(100);
  console.warn(
    `${line}\nBROWSER TESTS SKIPPED: ${CHROMIUM} is missing. Install it ` +
      `with \`apt-get install -y chromium\` (.ci/run does).\n${line}`,
  );
  return true;
}

export interface CliStages {
  scales: number;
  pnet: number;
  pnet_nms: number;
  rnet: number;
  rnet_nms: number;
  onet: number;
  faces: number;
}

/** The Node CLI's answer for the same image and (default) options. */
export async function cliStages(image: string): Promise<CliStages> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [CLI, 'detect', '--stats', '-q', '--backend', 'tfjs-wasm', image],
    { maxBuffer: 1 << 24 },
  );
  const [entry] = JSON.parse(stdout) as Array<{ faces: unknown[]; stages: CliStages }>;
  return entry.stages;
}

export async function runCli(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24 });
  return stdout;
}

/** Collects page errors and console errors, to assert the page ran clean. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** The strip's numbers, keyed like the CLI's `stages`. */
export async function stripCounts(page: Page): Promise<CliStages> {
  const count = async (stage: string): Promise<number> =>
    Number(await page.getAttribute(`.stage-card[data-stage="${stage}"] .count`, 'data-count'));
  const passed = async (stage: string): Promise<number> =>
    Number(await page.getAttribute(`.stage-card[data-stage="${stage}"] .unit`, 'data-passed'));
  return {
    scales: await count('pyramid'),
    pnet: await count('candidates'),
    pnet_nms: await count('nms'),
    rnet: await passed('rnet'),
    rnet_nms: await count('rnet'),
    onet: await passed('onet'),
    faces: await count('onet'),
  };
}

/** Opens each stage from the strip, checks the panel drew its content, and saves a screenshot. */
export async function visitStages(page: Page, prefix: string, expected: CliStages): Promise<void> {
  for (const stage of STAGES) {
    await page.click(`.stage-card[data-stage="${stage}"]`);
    await page.waitForSelector(`.panel[data-stage="${stage}"] svg.viz`);
    const n = (sel: string): Promise<number> => page.locator(`.panel[data-stage="${stage}"] ${sel}`).count();
    const checks: Record<(typeof STAGES)[number], () => Promise<void>> = {
      pyramid: async () => expectEq(await n('g.level'), expected.scales, 'pyramid levels'),
      pnet: async () => {
        expectEq(await n('rect.kernel'), 1, 'P-Net kernel window');
        expectEq(await n('image.heat'), 1, 'P-Net heat map');
      },
      candidates: async () => expectEq(await n('rect.kernel'), expected.pnet, 'candidate windows'),
      // The per-level round over all levels: every candidate, kept or suppressed.
      nms: async () => {
        await page.click('.panel .chips[aria-label="Level"] .chip[data-value="all"]');
        expectEq(await n('rect.box'), expected.pnet, 'NMS boxes');
      },
      rnet: async () => expectEq(await n('g.crop'), Math.min(expected.pnet_nms, 200), 'R-Net crops shown'),
      onet: async () => {
        expectEq(await n('g.crop'), Math.min(expected.rnet_nms, 120), 'O-Net crops shown');
        expectEq(await n('rect.face'), expected.faces, 'final faces');
        expectEq(await n('circle.landmark'), 5 * expected.faces, 'landmarks');
      },
    };
    await checks[stage]();
    await page.screenshot({ path: join(ARTIFACTS, `${prefix}-${stage}.png`), fullPage: true });
  }
}

function expectEq(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${what}: ${got} drawn, expected ${want}`);
}
