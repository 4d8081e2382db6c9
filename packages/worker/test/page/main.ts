// The browser test's page (built by Vite in worker.browser.test.ts): the same image through a
// worker detector and through a main-thread detector on the same backend, with a
// requestAnimationFrame counter running the whole time.
import { createDetector, type Face, type StageCounts } from '@mtcnn/core';
import { createStandardBackend } from '../../dist/backends.js';
import { createWorkerDetector } from '../../dist/index.js';

const assets = new URL('./', document.baseURI).href;

/** Frames drawn, and the longest wait between two, since `reset`. */
const frames = { count: 0, last: 0, longest: 0 };
const tick = (t: number): void => {
  if (frames.last) frames.longest = Math.max(frames.longest, t - frames.last);
  frames.last = t;
  frames.count++;
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
const reset = (): void => {
  frames.count = 0;
  frames.longest = 0;
  frames.last = 0;
};

const bitmap = async (): Promise<ImageBitmap> => createImageBitmap(await (await fetch('sample.jpg')).blob());

export interface Timed {
  faces: Face[];
  counts: StageCounts;
  levels: number;
  ms: number;
  /** Animation frames drawn during the detection, and the longest gap between two (ms). */
  frames: number;
  longestFrameGap: number;
}

async function timed(
  run: () => Promise<{ faces: Face[]; counts: StageCounts; trace?: { pyramid: unknown[] } }>,
): Promise<Timed> {
  await new Promise((r) => requestAnimationFrame(r));
  reset();
  const t0 = performance.now();
  const report = await run();
  const ms = performance.now() - t0;
  // The gap still open when the detection ends counts too.
  const longestFrameGap = Math.max(frames.longest, performance.now() - (frames.last || t0));
  return {
    faces: report.faces,
    counts: report.counts,
    levels: report.trace?.pyramid.length ?? 0,
    ms,
    frames: frames.count,
    longestFrameGap,
  };
}

async function check(backend: string): Promise<{ worker: Timed; main: Timed; backendName: string; aborted: string }> {
  const worker = await createWorkerDetector(
    new Worker(new URL('./detect.worker.ts', import.meta.url), { type: 'module' }),
    { backend, init: { assets } },
  );
  await worker.detect(await bitmap()); // warm-up: shader compilation, first allocations
  const image = await bitmap();
  const inWorker = await timed(() => worker.detectWithStats(image, { trace: true }));
  // An aborted call rejects with ABORTED and leaves the detector usable.
  const controller = new AbortController();
  const pending = worker.detect(await bitmap(), { signal: controller.signal });
  setTimeout(() => controller.abort(), 20); // in flight: a detection takes 150 ms or more
  const aborted = await pending.then(
    () => 'resolved',
    (e: { code?: string }) => e.code ?? String(e),
  );
  await worker.detect(await bitmap());
  const backendName = worker.backendName;
  worker.dispose();

  const main = createDetector(await createStandardBackend(backend, { assets }));
  await main.detect(await bitmap());
  const image2 = await bitmap();
  const onMain = await timed(() => main.detectWithStats(image2, { trace: true }));
  main.dispose();
  return { worker: inWorker, main: onMain, backendName, aborted };
}

(globalThis as unknown as { check: typeof check }).check = check;
document.getElementById('state')!.textContent = 'ready';
