import { it } from 'vitest';
import { createDetector, type Box } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs';
import { DEV_DIR } from './shared.js';
import { SHOTS } from './video-frames.js';
import { measureShot } from './video-measure.js';

it('explore', async () => {
  const detector = createDetector(await createNodeTfjsBackend({ backend: 'wasm' }));
  const variants = JSON.parse(process.env.VARIANTS ?? '[{}]');
  for (const shot of SHOTS.filter((s) => !process.env.SHOT_ONLY || s.name === process.env.SHOT_ONLY)) {
    const src = await loadImage(DEV_DIR + shot.source);
    const faces = (await detector.detect(src)).map((f): Box => [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]]);
    for (const v of variants) {
      const m = await measureShot(detector, shot, src, faces, v);
      console.log(JSON.stringify({ v, ...m, recall: m.recall.toFixed(4), precision: m.precision.toFixed(4), fullFps: m.fullFps.toFixed(1), trackedFps: m.trackedFps.toFixed(1), speedup: (m.trackedFps/m.fullFps).toFixed(2) }));
    }
  }
  detector.dispose();
}, 1800_000);
