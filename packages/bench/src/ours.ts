/** One of our backends on one image: warm-up, then timed runs with the per-stage split. */
import { createDetector, type StageCounts } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createBackend } from '@mtcnn/backends/node';
import { OPTIONS, type OurBackend } from './protocol.js';
import { timedBackend, type NetworkMs } from './timed-backend.js';

/** One timed run, ms. The stages partition `total`; `post` and `network` cut across them. */
export interface RunMs {
  total: number;
  /** Pyramid resampling + P-Net runs + P-Net post-processing. */
  pnet: number;
  /** R-Net crops + runs + post-processing. */
  rnet: number;
  onet: number;
  /** Thresholds, NMS, regression, squaring, landmarks over the three stages (inside them). */
  post: number;
  pyramid: number;
  network: NetworkMs;
}

export interface ImageRun {
  width: number;
  height: number;
  runs: RunMs[];
  counts: StageCounts;
  faces: number;
}

/** A prepared detector on one decoded image: each `run()` is one timed detection. */
export interface Runner<R, I> {
  run(): Promise<R>;
  /** What the last run found (sizes, counts). */
  info(): I;
  dispose(): void;
}

export type OurInfo = Omit<ImageRun, 'runs'>;

export async function prepareOurs(backendName: OurBackend, file: string): Promise<Runner<RunMs, OurInfo>> {
  const image = await loadImage(file); // decoded before any timing
  const timed = timedBackend(await createBackend(backendName));
  const detector = createDetector(timed.backend, OPTIONS);
  let last: Awaited<ReturnType<typeof detector.detectWithStats>> | undefined;
  return {
    async run() {
      timed.take();
      const t0 = performance.now();
      last = await detector.detectWithStats(image);
      const total = performance.now() - t0;
      const network = timed.take();
      const t = last.timings;
      return { total, pnet: t.pnet, rnet: t.rnet, onet: t.onet, post: t.post, pyramid: t.pyramid, network };
    },
    info: () => ({ width: image.width, height: image.height, counts: last!.counts, faces: last!.faces.length }),
    dispose: () => detector.dispose(),
  };
}
