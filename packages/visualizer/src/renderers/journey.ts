import { journeySteps, lineageVerdict, type Part } from '../explain/journey.js';
import type { NodeRef } from '../explain/lineage.js';
import type { VizInput } from '../model.js';
import type { Container } from '../view.js';
import type { StageId } from './strip.js';

export interface JourneyState {
  /** The stage panel shown (its steps are highlighted). */
  active?: StageId;
  onPick?: (ref: NodeRef, panel: StageId) => void;
  /** Back to the panels' default (the most confident face). */
  onReset?: () => void;
  /** True while the lineage is the default one (nothing picked). */
  auto?: boolean;
}

/** Writes a step's text with its ids as links. */
export function parts(sel: Container, list: readonly Part[], onPick: (ref: NodeRef) => void): void {
  for (const p of list) {
    if (typeof p === 'string') sel.append('span').text(p);
    else
      sel
        .append('button')
        .attr('type', 'button')
        .attr('class', 'ref-link')
        .attr('data-ref', `${p.ref.stage}:${p.ref.id}`)
        .text(p.text)
        .on('click', () => onPick(p.ref));
  }
}

/**
 * The journey strip: the selected box's lineage, one step per stage it went through, each id a
 * link (it opens that stage's panel with the box selected); the last step says where it ended.
 */
export function journeyRenderer(sel: Container, input: VizInput, state: JourneyState = {}): void {
  sel.html('');
  const lineage = input.link?.lineage;
  if (!lineage) {
    sel.attr('hidden', '');
    return;
  }
  sel.attr('hidden', null);
  const steps = journeySteps(input.trace, lineage);
  const head = sel.append('div').attr('class', 'journey-head');
  head
    .append('strong')
    .text(
      lineage.face !== undefined
        ? `Journey of face ${lineage.face + 1}${state.auto ? ' (the most confident)' : ''}`
        : `Journey of P-Net candidate #${lineage.pnet.id}${state.auto ? ' (the box that got furthest)' : ''}`,
    );
  head.append('span').attr('class', 'journey-verdict').text(lineageVerdict(input.trace, lineage));
  if (!state.auto && state.onReset)
    head
      .append('button')
      .attr('type', 'button')
      .attr('class', 'journey-reset')
      .text('Back to the best face')
      .on('click', () => state.onReset?.());
  const ol = sel.append('ol').attr('class', 'journey-steps');
  steps.forEach((s) => {
    const li = ol
      .append('li')
      .attr('class', `journey-step ${s.status}${s.panel === state.active ? ' here' : ''}`)
      .attr('data-step', s.key)
      .attr('data-panel', s.panel);
    li.append('button')
      .attr('type', 'button')
      .attr('class', 'step-title')
      .attr('data-focus-key', `journey:${s.key}`)
      .text(s.title)
      .on('click', () => state.onPick?.(s.ref, s.panel));
    parts(li.append('div').attr('class', 'step-text') as Container, s.parts, (ref) =>
      state.onPick?.(ref, panelOf(ref)),
    );
  });
}

/** The panel that shows a box of a given stage. */
export function panelOf(ref: NodeRef): StageId {
  return ref.stage === 'pnet' ? 'candidates' : ref.stage === 'face' ? 'onet' : ref.stage;
}
