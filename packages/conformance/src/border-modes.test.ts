import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector, type CropTrace, type Detector } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { matchFaces } from './match.js';
import { DEV_DIR, loadOracle, sharedAvailable, warnSharedMissing } from './shared.js';

// The default preset differs from the reference only in how crops of boxes that leave the image
// are made (grey-pad vs stretch). So: where every crop window of a run stays inside the image, the
// two presets must give identical faces; where some leave it, the crops (and maybe faces) differ,
// and the faces cut by the border (bbt2, face_rectangular) are still found.
if (!sharedAvailable) warnSharedMissing('border modes on the dev images');
const images = sharedAvailable
  ? readdirSync(DEV_DIR)
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
  : [];

describe.skipIf(!sharedAvailable)('default preset (grey-pad) vs reference (stretch)', () => {
  let zeroPad: Detector;
  let stretch: Detector;
  beforeAll(async () => {
    zeroPad = createDetector(await createNodeTfjsBackend({ backend: 'wasm' }));
    stretch = createDetector(await createNodeTfjsBackend({ backend: 'wasm' }), { preset: 'reference' });
  });
  afterAll(() => {
    zeroPad?.dispose();
    stretch?.dispose();
  });

  it.each(images)('%s', async (file) => {
    const image = await loadImage(DEV_DIR + file, { autoOrient: false });
    const z = await zeroPad.detectWithStats(image, { trace: true });
    const s = await stretch.detectWithStats(image);
    const outside = (c: CropTrace): boolean =>
      c.window.x0 < 0 || c.window.y0 < 0 || c.window.x1 > image.width || c.window.y1 > image.height;
    const crops = [...z.trace!.rnet.inputs, ...z.trace!.onet.inputs];
    if (!crops.some(outside)) {
      expect(z.faces).toEqual(s.faces);
      expect(z.counts).toEqual(s.counts);
    } else {
      expect(z.counts.pnetNms).toBe(s.counts.pnetNms); // P-Net does not crop
    }
    // Every reference face is found by the default preset too (IoU >= 0.5, the usual detection
    // criterion: at the border the two modes legitimately regress to different boxes).
    const { matches } = matchFaces(loadOracle()[file].faces, z.faces);
    for (const m of matches) expect(m.iou).toBeGreaterThanOrEqual(0.5);
  });
});
