import { select } from 'd3';
import { downloadSvg, panelToSvg } from './export-svg.js';
import type { VizInput } from './model.js';
import { stripRenderer, STAGE_IDS, type StageId } from './renderers/strip.js';
import { STAGES } from './stages.js';

export interface Viewer {
  /** Draws a new trace, keeping each panel's state (chosen level, filter, selection) where it still applies. */
  update(input: VizInput): void;
  select(id: StageId): void;
  readonly stage: StageId;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.tagName) return false;
  return /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) || el.isContentEditable;
}

/**
 * The stage strip and the active stage's panel, shared by the app and the report. Keys: ← / →
 * (or PageUp / PageDown) previous / next stage, 1–6 a stage; the strip is an ARIA tablist.
 */
export function createViewer(root: HTMLElement): Viewer {
  const host = select(root).classed('viewer', true);
  host.html('');
  const stripHost = host.append('div').attr('class', 'strip-host');
  const panelHost = host.append('section').attr('class', 'panel-host').attr('role', 'tabpanel');
  const toolbar = panelHost.append('div').attr('class', 'panel-toolbar');
  const prev = toolbar
    .append('button')
    .attr('type', 'button')
    .attr('class', 'prev')
    .attr('aria-label', 'Previous stage')
    .text('‹ Prev');
  const next = toolbar
    .append('button')
    .attr('type', 'button')
    .attr('class', 'next')
    .attr('aria-label', 'Next stage')
    .text('Next ›');
  toolbar.append('span').attr('class', 'keys').text('keys: ← → or 1–6');
  const exportBtn = toolbar.append('button').attr('type', 'button').attr('class', 'export').text('Export SVG');
  const panel = panelHost.append('div').attr('class', 'panel');

  const fromHash = root.ownerDocument.defaultView?.location.hash.slice(1) as StageId | undefined;
  let stage: StageId = fromHash && STAGE_IDS.includes(fromHash) ? fromHash : 'pyramid';
  let input: VizInput | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: each stage keeps its own state shape
  const states: Record<StageId, any> = { pyramid: {}, pnet: {}, candidates: {}, nms: {}, rnet: {}, onet: {} };
  states.pyramid.onPickLevel = (level: number): void => {
    states.pnet.level = level;
    states.pnet.cell = undefined;
    go(1);
  };

  const draw = (): void => {
    if (!input) return;
    stripHost.call(stripRenderer, input, { active: stage, onSelect: (id: StageId) => go(STAGE_IDS.indexOf(id)) });
    const s = STAGES.find((x) => x.id === stage)!;
    panel.attr('data-stage', stage).attr('aria-label', s.name);
    panel.call(s.render, input, states[stage]);
    const i = STAGE_IDS.indexOf(stage);
    prev.attr('disabled', i === 0 ? '' : null);
    next.attr('disabled', i === STAGE_IDS.length - 1 ? '' : null);
  };
  const go = (i: number): void => {
    const id = STAGE_IDS[Math.max(0, Math.min(STAGE_IDS.length - 1, i))];
    if (id === stage && panel.attr('data-stage') === id) return;
    stage = id;
    const win = root.ownerDocument.defaultView;
    if (win && win.location.protocol !== 'about:') win.history.replaceState(null, '', `#${id}`);
    draw();
    (stripHost.select(`[data-stage="${id}"]`).node() as HTMLElement | null)?.focus({ preventScroll: true });
  };

  prev.on('click', () => go(STAGE_IDS.indexOf(stage) - 1));
  next.on('click', () => go(STAGE_IDS.indexOf(stage) + 1));
  exportBtn.on('click', () => {
    const name = STAGES.find((x) => x.id === stage)!.name;
    downloadSvg(panelToSvg(panel.node()!), `mtcnn-${name}.svg`);
  });
  root.ownerDocument.addEventListener('keydown', (e: KeyboardEvent) => {
    if (!input || isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
    const i = STAGE_IDS.indexOf(stage);
    if (e.key === 'ArrowRight' || e.key === 'PageDown') go(i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(STAGE_IDS.length - 1);
    else if (/^[1-6]$/.test(e.key)) go(Number(e.key) - 1);
    else return;
    e.preventDefault();
  });

  return {
    update(next: VizInput) {
      // Ids index the trace's lists, so a selection means another box in a new trace: drop it
      // (levels, filters and rounds stay).
      if (input && input.trace !== next.trace) {
        states.candidates.focus = undefined;
        states.nms.selected = undefined;
        states.rnet.selected = undefined;
        states.onet.selected = undefined;
      }
      input = next;
      draw();
    },
    select(id: StageId) {
      go(STAGE_IDS.indexOf(id));
    },
    get stage() {
      return stage;
    },
  };
}
