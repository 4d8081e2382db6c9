import { KEYPOINT_NAMES } from '@mtcnn/core';
import { COLORS, LANDMARK_COLORS } from '../colors.js';
import { fmt } from '../model.js';
import { boxRect } from '../view.js';
import { cropStageRenderer } from './crop-stage.js';
import { resultView } from './result.js';

export type { CropStageState as ONetState } from './crop-stage.js';

export const ONET_TITLE = '6 · O-Net: 48×48, the final answer';
export const ONET_CAPTION =
  'A bigger net looks at 48×48 crops and gives the final score, box and five ' +
  'landmarks; a last NMS (overlap over the smaller box) removes nested duplicates.';

/** O-Net's inputs as crops, and the final faces with their landmarks on the image. */
export const onetRenderer = cropStageRenderer({
  stage: 'onet',
  title: ONET_TITLE,
  caption: ONET_CAPTION,
  size: 48,
  zoom: 1.5,
  cols: 6,
  thresholdIndex: 2,
  nmsIndex: 3,
  overlapName: 'overlap / smaller area',
  limit: 120,
  drawOnImage(g, c, status, unit) {
    if (status === 'rejected') {
      boxRect(g, c.box, 'input', COLORS.rejected, 1, '2 2').attr('stroke-opacity', 0.7);
      return;
    }
    const box = c.regressed ?? c.box;
    if (status === 'suppressed') {
      boxRect(g, box, 'regressed', COLORS.suppressed, 1.5, '3 2');
      return;
    }
    boxRect(g, box, 'face', COLORS.kept, 3);
    (c.landmarks ?? []).forEach(([x, y], k) => {
      g.append('circle')
        .attr('class', 'landmark')
        .attr('data-name', KEYPOINT_NAMES[k])
        .attr('cx', x)
        .attr('cy', y)
        .attr('r', Math.max(1.5, Math.min(6 * unit, (box[2] - box[0]) / 18)))
        .attr('fill', LANDMARK_COLORS[k])
        .attr('stroke', '#fff')
        .attr('stroke-width', 1)
        .attr('vector-effect', 'non-scaling-stroke');
    });
    const font = 13 * unit;
    g.append('text')
      .attr('class', 'face-score')
      .attr('x', box[0])
      .attr('y', box[1] - font * 0.35)
      .attr('font-size', font)
      .attr('font-weight', 700)
      .attr('fill', COLORS.kept)
      .attr('stroke', '#fff')
      .attr('stroke-width', font * 0.25)
      .attr('paint-order', 'stroke')
      .text(fmt.score(c.score));
  },
  legend: () => [
    { color: COLORS.kept, text: 'final face (regressed box)' },
    ...KEYPOINT_NAMES.map((n, k) => ({ color: LANDMARK_COLORS[k], text: n.replace('_', ' '), dot: true })),
  ],
  before: (sel, input, pick) => resultView(sel, input, pick),
  describe(c) {
    const out: Array<[string, string]> = [];
    if (c.offsets) out.push(['offsets', c.offsets.map((v) => v.toFixed(3)).join(', ')]);
    if (c.regressed) out.push(['regressed', fmt.box(c.regressed)]);
    if (c.landmarks)
      out.push([
        'landmarks',
        c.landmarks.map(([x, y], k) => `${KEYPOINT_NAMES[k]} (${x.toFixed(1)}, ${y.toFixed(1)})`).join(', '),
      ]);
    return out;
  },
});
