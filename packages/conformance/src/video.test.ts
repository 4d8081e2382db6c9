import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, type Box, type Detector, type VideoDetectorOptions } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { DEV_DIR, sharedAvailable, warnSharedMissing } from './shared.js';
import { SHOTS } from './video-frames.js';
import { markdownTable, measureShot, type ShotMeasurement } from './video-measure.js';

if (!sharedAvailable) warnSharedMissing('video tracking on sequences generated from the dev images');

/**
 * The video detector against the full cascade on every frame, on camera moves generated from the
 * dev images (video-frames.ts). Prints the table of docs/video.md. MTCNN_VIDEO_OPTIONS='{"fullEvery":5}'
 * measures other settings (the assertions then only check the ids).
 */
const custom = process.env.MTCNN_VIDEO_OPTIONS;
const options: VideoDetectorOptions = custom ? JSON.parse(custom) : {};

describe.skipIf(!sharedAvailable)('video detector on generated sequences (tfjs-wasm)', () => {
  let detector: Detector;
  const results: ShotMeasurement[] = [];
  beforeAll(async () => {
    detector = createDetector(await createNodeTfjsBackend({ backend: 'wasm' }));
  });
  afterAll(() => {
    detector?.dispose();
    if (results.length > 0)
      console.log(`\nvideo detector, options ${JSON.stringify(options)}, tfjs-wasm:\n${markdownTable(results)}\n`);
  });

  for (const shot of SHOTS) {
    it(`${shot.name}: every face keeps one track id while in view`, async () => {
      const source = await loadImage(`${DEV_DIR}${shot.source}`);
      // Identity comes from the still image: each face's box there, carried into each frame.
      const sourceFaces = (await detector.detect(source)).map(
        (f): Box => [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]],
      );
      const m = await measureShot(detector, shot, source, sourceFaces, options);
      results.push(m);
      console.log(
        `${shot.name}: recall ${m.recall.toFixed(3)} ` +
          `(${m.matched}/${m.fullFaces}), precision ${m.precision.toFixed(3)}, ` +
          `${m.fullFps.toFixed(1)} -> ${m.trackedFps.toFixed(1)} fps ` +
          `(${m.speedup.toFixed(2)}x), ${m.fullFrames} full frames, ` +
          `${m.edgeFrames} edge-watching frames, ${m.lost} lost-face searches` +
          (m.misses.length
            ? '; missed: ' +
              m.misses
                .map(([i, f]) => `#${i} [${f.box.map((v) => v.toFixed(0)).join(',')}] p=${f.confidence.toFixed(2)}`)
                .join(' ')
            : ''),
      );
      // Faces in view are tracked at all (a tracked face matches each source face somewhere)...
      expect(m.tracked.some((fs) => fs.length > 0)).toBe(true);
      // ...and never swap or change ids while in view.
      expect(m.idSwitches).toBe(0);
      expect(m.idChanges).toBe(0);
      expect(m.fragmented).toBe(0);
    });
  }

  it.skipIf(custom !== undefined)(
    'finds >= 98% of what the full cascade finds on every frame, faster (speed-up reported)',
    () => {
      expect(results).toHaveLength(SHOTS.length);
      const matched = results.reduce((s, r) => s + r.matched, 0);
      const reference = results.reduce((s, r) => s + r.fullFaces, 0);
      expect(matched / reference).toBeGreaterThanOrEqual(0.98);
      // Each sequence on its own stays close (the misses are faces cut by the frame's edge, which
      // the full cascade itself finds on some frames and not on others).
      for (const r of results) expect(r.recall, r.shot).toBeGreaterThanOrEqual(0.95);
      // Skipping the pyramid must pay: the still camera above all.
      const still = results.find((r) => r.shot === 'multiface-still')!;
      expect(still.speedup).toBeGreaterThan(3);
      for (const r of results) expect(r.speedup, r.shot).toBeGreaterThan(1.2);
    },
  );
});
