import type { ResolvedOptions } from '@mtcnn/core';
import type { StageId } from './renderers/strip.js';
import type { Container } from './view.js';

/** One sentence per stage, on the image shown, for a first visit ("Start here"). */
export function tourSteps(o: ResolvedOptions | undefined): Array<{ stage: StageId; title: string; text: string }> {
  const t = o?.thresholds ?? [0.6, 0.7, 0.7];
  const n = o?.nmsThresholds ?? [0.5, 0.7, 0.7, 0.7];
  const f = o?.scaleFactor ?? 0.709;
  const m = o?.minFaceSize ?? 20;
  return [
    {
      stage: 'pyramid',
      title: 'The pyramid',
      text:
        `P-Net only looks at 12×12 pixels, so the image is shrunk step by step (×${f}, starting at ` +
        `12 / ${m}) until every face, whatever its size, is about 12 px tall on some level.`,
    },
    {
      stage: 'pnet',
      title: 'P-Net',
      text:
        'P-Net slides a 12×12 window over every level, 2 px at a time, and scores each ' +
        'window: press Play to watch it build the heat map, one window after the other.',
    },
    {
      stage: 'candidates',
      title: 'Candidates',
      text:
        `Every window scoring P ≥ ${t[0]} becomes a candidate: its 12×12 window ` +
        `divided by the level's scale gives a box in the original image.`,
    },
    {
      stage: 'nms',
      title: 'NMS, regression, squaring',
      text:
        `Overlapping candidates are thinned out (the best box suppresses any other overlapping it by ` +
        `IoU > ${n[0]}), then each survivor moves by its predicted offsets and becomes a square.`,
    },
    {
      stage: 'rnet',
      title: 'R-Net',
      text:
        `Each square is cut out at 24×24 and R-Net scores it again: boxes ` +
        `at ${t[1]} or below are rejected, and that is where most false boxes end.`,
    },
    {
      stage: 'onet',
      title: 'O-Net',
      text:
        `O-Net looks at 48×48 crops and gives the final score (> ${t[2]}), a refined box ` +
        `and five keypoints; the journey strip above follows any face back to its first ` +
        `window, and dragging a box on any image asks why it was (not) found.`,
    },
  ];
}

export interface Tour {
  start(): void;
  /** The viewer moved to `stage` (by key or click): follow it. */
  sync(stage: StageId): void;
}

/** The guided tour: a card above the panel, one sentence per step, Back / Next / Done. */
export function tour(
  host: Container,
  opts: { go: (stage: StageId) => void; options: () => ResolvedOptions | undefined; onEnd: () => void },
): Tour {
  let step = -1;
  const draw = (): void => {
    host.html('');
    if (step < 0) return;
    const steps = tourSteps(opts.options());
    const s = steps[step];
    const card = host.append('div').attr('class', 'tour').attr('role', 'dialog').attr('aria-label', 'Start here');
    card
      .append('p')
      .attr('class', 'tour-count')
      .text(`Start here · ${step + 1} of ${steps.length}: ${s.title}`);
    card.append('p').attr('class', 'tour-text').text(s.text);
    const row = card.append('div').attr('class', 'tour-buttons');
    row
      .append('button')
      .attr('type', 'button')
      .attr('class', 'tour-back')
      .attr('data-focus-key', 'tour-back')
      .attr('disabled', step === 0 ? '' : null)
      .text('‹ Back')
      .on('click', () => move(step - 1));
    row
      .append('button')
      .attr('type', 'button')
      .attr('class', 'tour-next')
      .attr('data-focus-key', 'tour-next')
      .text(step === steps.length - 1 ? 'Done' : 'Next ›')
      .on('click', () => (step === steps.length - 1 ? end() : move(step + 1)));
    row
      .append('button')
      .attr('type', 'button')
      .attr('class', 'tour-end')
      .text('Close')
      .on('click', () => end());
  };
  const end = (): void => {
    step = -1;
    draw();
    opts.onEnd();
  };
  const move = (i: number): void => {
    step = Math.max(0, Math.min(tourSteps(undefined).length - 1, i));
    draw();
    opts.go(tourSteps(undefined)[step].stage);
    (host.select('.tour-next').node() as HTMLElement | null)?.focus({ preventScroll: true });
  };
  return {
    start: () => move(0),
    sync(stage) {
      if (step < 0) return;
      const i = tourSteps(undefined).findIndex((s) => s.stage === stage);
      if (i >= 0 && i !== step) {
        step = i;
        draw();
      }
    },
  };
}
