import { select } from 'd3';
import { explanationText } from './explain/explanation.js';
import { defaultFocus, findWindow, lineageOf, type Lineage, type NodeRef } from './explain/lineage.js';
import { queryRegion, type QueryAnswer, type Region } from './explain/query.js';
import { downloadSvg, downloadText, panelToSvg } from './export-svg.js';
import type { PanelLink, VizInput } from './model.js';
import { journeyRenderer, panelOf } from './renderers/journey.js';
import { queryRenderer } from './renderers/query.js';
import { stripRenderer, STAGE_IDS, type StageId } from './renderers/strip.js';
import { STAGES } from './stages.js';
import { tour, type Tour } from './tour.js';
import { keepFocus } from './view.js';

export interface Viewer {
  /**
   * Draws a new trace. Same image: each panel keeps its choices and the picked box (found again by its P-Net window).
   * New image: every panel opens on the most confident face.
   */
  update(input: VizInput): void;
  select(id: StageId): void;
  /** Follows a box's lineage in every panel (as a click on it does). */
  pick(ref: NodeRef): void;
  /** Asks why about a point or region (as a drag on an image view does). */
  ask(region: Region): void;
  readonly stage: StageId;
  readonly lineage: Lineage | undefined;
  readonly answer: QueryAnswer | undefined;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.tagName) return false;
  return /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) || el.isContentEditable;
}

function download(text: string, name: string, type: string): void {
  downloadText(text, name, type);
}

/** A file name from the image's name: `photo.jpg` -> `photo`. */
function stem(name: string | undefined): string {
  return (name ?? 'image').replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_') || 'image';
}

/**
 * The stage strip, the selected face's journey, the answer to the last "why?", and the active
 * stage's panel, shared by the app and the report. Keys: ← / → (or PageUp / PageDown) previous /
 * next stage, 1–6 a stage; the strip is an ARIA tablist.
 */
export function createViewer(root: HTMLElement): Viewer {
  const host = select(root).classed('viewer', true);
  host.html('');
  const stripHost = host.append('div').attr('class', 'strip-host');
  const tourHost = host.append('div').attr('class', 'tour-host');
  const journeyHost = host.append('section').attr('class', 'journey').attr('aria-label', 'Journey of the selected box');
  const queryHost = host.append('section').attr('class', 'query-answer').attr('aria-live', 'polite').attr('hidden', '');
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
  toolbar.append('span').attr('class', 'keys').text('keys: ← → or 1–6 · drag a box on an image to ask why');
  const tourBtn = toolbar.append('button').attr('type', 'button').attr('class', 'tour-start').text('Start here');
  const exportBtn = toolbar.append('button').attr('type', 'button').attr('class', 'export').text('Export SVG');
  const traceBtn = toolbar
    .append('button')
    .attr('type', 'button')
    .attr('class', 'download-trace')
    .attr('title', 'The stage trace as JSON (detectWithStats(image, { trace: true }))')
    .text('Trace JSON');
  const explainBtn = toolbar
    .append('button')
    .attr('type', 'button')
    .attr('class', 'download-explanation')
    .attr('title', "The selected box's journey and the last answer, as text")
    .text('Explanation');
  const panel = panelHost.append('div').attr('class', 'panel');

  const fromHash = root.ownerDocument.defaultView?.location.hash.slice(1) as StageId | undefined;
  let stage: StageId = fromHash && STAGE_IDS.includes(fromHash) ? fromHash : 'pyramid';
  let input: VizInput | undefined;
  let lineage: Lineage | undefined;
  /** True when the lineage is the default one (the most confident face), false once the user picked a box. */
  let auto = true;
  let answer: QueryAnswer | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: each stage keeps its own state shape
  let states: Record<StageId, any> = freshStates();
  const link: PanelLink = {
    zoom: { k: 1, x: 0, y: 0 },
    drag: 'ask',
    pick: (ref) => pick(ref),
    ask: (region) => ask(region),
    onAsk: (region) => ask(region),
  };
  let theTour: Tour | undefined;

  function freshStates(): Record<StageId, Record<string, unknown>> {
    return {
      pyramid: { onPickLevel: (level: number) => openCell(level) },
      pnet: {},
      candidates: {},
      nms: {},
      rnet: {},
      onet: {},
    };
  }

  function openCell(level: number, cell?: [number, number]): void {
    states.pnet.level = level;
    states.pnet.cell = cell;
    states.pnet.built = undefined;
    states.pnet.zoom = undefined;
    go(STAGE_IDS.indexOf('pnet'));
  }

  /** Every panel's selection follows the lineage (its level, window, crops). */
  const applyLineage = (l: Lineage | undefined): void => {
    lineage = l;
    link.lineage = l;
    if (!l) {
      states.candidates.focus = null;
      states.nms.selected = undefined;
      states.rnet.selected = undefined;
      states.onet.selected = undefined;
      return;
    }
    if (states.pnet.level !== l.pnet.level || !states.pnet.playing) {
      states.pnet.level = l.pnet.level;
      states.pnet.cell = [l.pnet.cell[0], l.pnet.cell[1]];
      states.pnet.built = undefined;
      states.pnet.playing = false;
    }
    states.candidates.focus = l.pnet.id;
    if (states.candidates.level !== 'all' && states.candidates.level !== l.pnet.level) states.candidates.level = 'all';
    states.nms.selected = l.pnet.id;
    if (states.nms.level !== 'all') states.nms.level = l.pnet.level;
    if (l.end.at === 'pnet-scale-nms') states.nms.round = 'scale';
    else if (l.end.at === 'pnet-cross-nms') states.nms.round = 'cross';
    states.rnet.selected = l.rnet?.id;
    states.onet.selected = l.onet?.id;
  };

  const draw = (): void => {
    if (!input) return;
    const view: VizInput = { ...input, link };
    link.query = answer;
    keepFocus(root, () => {
      stripHost.call(stripRenderer, view, { active: stage, onSelect: (id: StageId) => go(STAGE_IDS.indexOf(id)) });
      journeyHost.call(journeyRenderer, view, {
        active: stage,
        auto,
        onPick: (ref: NodeRef, panelId: StageId) => pick(ref, panelId),
        onReset: () => {
          auto = true;
          applyLineage(focusOf(input!));
          draw();
        },
      });
      queryRenderer(queryHost, answer, {
        onPick: (ref) => pick(ref, panelOf(ref)),
        onCell: (level, cell) => openCell(level, cell),
        onClose: () => {
          answer = undefined;
          draw();
        },
      });
      const s = STAGES.find((x) => x.id === stage)!;
      panel.attr('data-stage', stage).attr('aria-label', s.name);
      panel.call(s.render, view, states[stage]);
      const i = STAGE_IDS.indexOf(stage);
      prev.attr('disabled', i === 0 ? '' : null);
      next.attr('disabled', i === STAGE_IDS.length - 1 ? '' : null);
    });
    theTour?.sync(stage);
  };
  const go = (i: number, force = false): void => {
    const id = STAGE_IDS[Math.max(0, Math.min(STAGE_IDS.length - 1, i))];
    if (!force && id === stage && panel.attr('data-stage') === id) return;
    stage = id;
    const win = root.ownerDocument.defaultView;
    if (win && win.location.protocol !== 'about:') win.history.replaceState(null, '', `#${id}`);
    draw();
    (stripHost.select(`[data-stage="${id}"]`).node() as HTMLElement | null)?.focus({ preventScroll: true });
  };

  const focusOf = (v: VizInput): Lineage | undefined => {
    const f = defaultFocus(v.trace);
    return f ? lineageOf(v.trace, f) : undefined;
  };

  function pick(ref: NodeRef, panelId?: StageId): void {
    if (!input) return;
    const l = lineageOf(input.trace, ref);
    if (!l) return;
    auto = false;
    applyLineage(l);
    // The box itself, when it is not the lineage's member at that stage (e.g. a suppressor link).
    if (panelId && panelId !== stage) {
      stage = panelId;
      go(STAGE_IDS.indexOf(panelId), true);
      return;
    }
    draw();
  }

  function ask(region: Region): void {
    if (!input) return;
    answer = queryRegion(input.trace, region);
    const v = answer.verdict;
    if ('ref' in v) {
      auto = false;
      applyLineage(lineageOf(input.trace, v.ref));
    } else if (v.at === 'face') {
      auto = false;
      applyLineage(lineageOf(input.trace, { stage: 'face', id: v.face }));
    } else if (v.at === 'pnet-threshold') {
      states.pnet.level = v.level;
      states.pnet.cell = [v.cell[0], v.cell[1]];
      states.pnet.built = undefined;
    }
    draw();
  }

  prev.on('click', () => go(STAGE_IDS.indexOf(stage) - 1));
  next.on('click', () => go(STAGE_IDS.indexOf(stage) + 1));
  exportBtn.on('click', () => {
    const name = STAGES.find((x) => x.id === stage)!.name;
    void downloadSvg(panelToSvg(panel.node()!), `mtcnn-${name}.svg`);
  });
  traceBtn.on('click', () => {
    if (input) download(JSON.stringify(input.trace), `mtcnn-trace-${stem(input.image.name)}.json`, 'application/json');
  });
  explainBtn.on('click', () => {
    if (input)
      download(
        explanationText(input, lineage, answer),
        `mtcnn-explanation-${stem(input.image.name)}.txt`,
        'text/plain;charset=utf-8',
      );
  });
  tourBtn.on('click', () => {
    theTour ??= tour(tourHost, {
      go: (id) => go(STAGE_IDS.indexOf(id)),
      options: () => input?.trace.options,
      onEnd: () => {
        theTour = undefined;
      },
    });
    theTour.start();
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
  // Layouts that depend on the panel's width (the pyramid's rows) are redone when it changes.
  const RO = root.ownerDocument.defaultView?.ResizeObserver;
  if (RO) {
    let width = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    new RO((entries) => {
      const w = entries[0]?.contentRect.width ?? 0;
      if (width === 0 || Math.abs(w - width) < 24) {
        width = width || w;
        return;
      }
      width = w;
      clearTimeout(pending);
      pending = setTimeout(() => {
        if (stage === 'pyramid') draw();
      }, 120);
    }).observe(panel.node()!);
  }

  return {
    update(nextInput: VizInput) {
      const sameImage =
        !!input &&
        input.image.href === nextInput.image.href &&
        input.trace.image.width === nextInput.trace.image.width &&
        input.trace.image.height === nextInput.trace.image.height;
      if (!sameImage) {
        // A new image: nothing of the last one's panels (levels, cells, filters, zoom) applies.
        states = freshStates();
        link.zoom.k = 1;
        link.zoom.x = 0;
        link.zoom.y = 0;
        auto = true;
      }
      // The picked box again, by its P-Net window (ids change when thresholds move), else the default.
      let l: Lineage | undefined;
      if (sameImage && !auto && lineage) {
        const w = findWindow(nextInput.trace, lineage.pnet);
        l = w ? lineageOf(nextInput.trace, { stage: 'pnet', id: w.id }) : undefined;
      }
      if (!l) {
        auto = true;
        l = focusOf(nextInput);
      }
      input = nextInput;
      applyLineage(l);
      answer = sameImage && answer ? queryRegion(nextInput.trace, answer.region) : undefined;
      draw();
    },
    select(id: StageId) {
      go(STAGE_IDS.indexOf(id));
    },
    pick,
    ask,
    get stage() {
      return stage;
    },
    get lineage() {
      return lineage;
    },
    get answer() {
      return answer;
    },
  };
}
