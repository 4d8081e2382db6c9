import { COLORS } from '../colors.js';
import { fmt } from '../model.js';
import { boxRect } from '../view.js';
import { cropStageRenderer, nearDuplicates } from './crop-stage.js';

export type { CropStageState as RNetState } from './crop-stage.js';

export const RNET_TITLE = '5 · R-Net: a second look at 24×24';
export const RNET_CAPTION =
  'Each surviving box is cut out and shrunk to 24×24; R-Net scores it again, NMS ' +
  'removes duplicates, and the kept boxes are regressed and made square for O-Net.';

/** R-Net's inputs as crops (kept / suppressed / rejected) and, on the image, the regressed and squared boxes. */
export const rnetRenderer = cropStageRenderer({
  stage: 'rnet',
  title: RNET_TITLE,
  caption: RNET_CAPTION,
  size: 24,
  zoom: 2,
  cols: 10,
  thresholdIndex: 1,
  nmsIndex: 2,
  overlapName: 'IoU',
  limit: 200,
  drawOnImage(g, c, status) {
    if (status === 'rejected') boxRect(g, c.box, 'input', COLORS.rejected, 1, '2 2').attr('stroke-opacity', 0.7);
    else if (status === 'suppressed') boxRect(g, c.box, 'input', COLORS.suppressed, 1, '3 2');
    else {
      boxRect(g, c.box, 'input', COLORS.kept, 1.5);
      if (c.regressed) boxRect(g, c.regressed, 'regressed', COLORS.regressed, 2);
      if (c.squared) boxRect(g, c.squared, 'squared', COLORS.squared, 1.5, '5 3');
    }
  },
  legend: () => [
    { color: COLORS.regressed, text: 'regressed (kept boxes + R-Net offsets)' },
    { color: COLORS.squared, text: 'squared: O-Net input', dash: true },
  ],
  describe(c) {
    const out: Array<[string, string]> = [];
    if (c.offsets) out.push(['offsets', c.offsets.map((v) => v.toFixed(3)).join(', ')]);
    if (c.regressed) out.push(['regressed', `${fmt.box(c.regressed)} (offsets × (width + 1), after NMS)`]);
    if (c.squared) out.push(['squared', `${fmt.box(c.squared)} → O-Net`]);
    return out;
  },
  surprises(trace) {
    const dups = nearDuplicates(trace, trace.options.nmsThresholds[2]);
    if (dups.length === 0) return [];
    const [a, b, v] = dups[0];
    return [
      `Why near-duplicates reach O-Net: R-Net's NMS compares the boxes it was given, before its own ` +
        `regression. ${dups.length} pair${dups.length === 1 ? '' : 's'} of O-Net inputs overlap by more ` +
        `than IoU ${trace.options.nmsThresholds[2]} after it (e.g. #${a} and #${b}, ${v.toFixed(2)}): both ` +
        `scored high, their offsets moved them onto the same face, and O-Net's final NMS removes one.`,
    ];
  },
});
