import { fmt, type VizInput } from '../model.js';
import type { Container } from '../view.js';

export type StageId = 'pyramid' | 'pnet' | 'candidates' | 'nms' | 'rnet' | 'onet';
export const STAGE_IDS: readonly StageId[] = ['pyramid', 'pnet', 'candidates', 'nms', 'rnet', 'onet'];

export interface StripState {
  active?: StageId;
  onSelect?: (id: StageId) => void;
}

interface Card {
  id: StageId;
  name: string;
  count: number;
  unit: string;
  ms?: number;
  /** Network whose re-run status this card shows. */
  net?: 'pnet' | 'rnet' | 'onet';
  /** Boxes above the stage's score threshold (before its NMS). */
  passed?: number;
  note?: string;
}

/** The stage strip: one card per stage with its count and milliseconds; the cards are the tabs that pick the panel. */
export function stripRenderer(sel: Container, input: VizInput, state: StripState = {}): void {
  const { counts: c, timings: t, options: o, pyramid } = input.trace;
  const cells = pyramid.reduce((s, l) => s + l.mapWidth * l.mapHeight, 0);
  const cards: Card[] = [
    { id: 'pyramid', name: 'Pyramid', count: c.scales, unit: c.scales === 1 ? 'level' : 'levels', ms: t.pyramid },
    {
      id: 'pnet',
      name: 'P-Net',
      count: cells,
      unit: 'windows scored',
      ms: t.pnet - t.pyramid,
      net: 'pnet',
      note: 'network, threshold and NMS',
    },
    { id: 'candidates', name: 'Candidates', count: c.pnet, unit: `windows with P ≥ ${o.thresholds[0]}` },
    { id: 'nms', name: 'NMS', count: c.pnetNms, unit: 'boxes left for R-Net' },
    {
      id: 'rnet',
      name: 'R-Net',
      count: c.rnetNms,
      unit: 'boxes left for O-Net',
      ms: t.rnet,
      net: 'rnet',
      passed: c.rnet,
      note: `${c.rnet} of ${c.pnetNms} scored > ${o.thresholds[1]}`,
    },
    {
      id: 'onet',
      name: 'O-Net',
      count: c.faces,
      unit: `face${c.faces === 1 ? '' : 's'}`,
      ms: t.onet,
      net: 'onet',
      passed: c.onet,
      note: `${c.onet} of ${c.rnetNms} scored > ${o.thresholds[2]}`,
    },
  ];
  sel.html('');
  const nav = sel.append('div').attr('class', 'strip').attr('role', 'tablist').attr('aria-label', 'Stages');
  cards.forEach((card, i) => {
    const active = state.active === card.id;
    const b = nav
      .append('button')
      .attr('type', 'button')
      .attr('role', 'tab')
      .attr('class', `stage-card${active ? ' active' : ''}`)
      .attr('data-stage', card.id)
      .attr('data-focus-key', `stage:${card.id}`)
      .attr('aria-selected', String(active))
      .attr('tabindex', active || (!state.active && i === 0) ? 0 : -1)
      .attr('title', card.note ?? '')
      .on('click', () => state.onSelect?.(card.id));
    b.append('span')
      .attr('class', 'num')
      .text(String(i + 1));
    b.append('span').attr('class', 'name').text(card.name);
    b.append('span').attr('class', 'count').attr('data-count', card.count).text(card.count.toLocaleString('en-US'));
    const unit = b.append('span').attr('class', 'unit').text(card.unit);
    if (card.passed !== undefined) {
      unit.attr('data-passed', card.passed);
      // How many passed the score threshold, said plainly (the count above is after NMS).
      b.append('span')
        .attr('class', 'passed')
        .text(card.note ?? '');
    }
    b.append('span')
      .attr('class', 'ms')
      .text(card.ms === undefined ? 'in P-Net' : `${fmt.ms(card.ms)} ms`);
    const net = card.net && input.run?.networks?.[card.net];
    if (net) {
      b.append('span')
        .attr('class', `rerun ${net.ran === 0 ? 'cached' : 'ran'}`)
        .attr('data-ran', net.ran)
        .attr('data-cached', net.cached)
        .text(net.ran === 0 ? 'network cached' : `network ran ${net.ran}${net.cached ? `, ${net.cached} cached` : ''}`);
    }
  });
  const total = nav.append('div').attr('class', 'stage-total');
  total.append('span').attr('class', 'count faces-count').attr('data-count', c.faces).text(String(c.faces));
  total
    .append('span')
    .attr('class', 'unit')
    .text(c.faces === 1 ? 'face' : 'faces');
  total
    .append('span')
    .attr('class', 'ms')
    .text(`${fmt.ms(t.total)} ms total`);
  // Thresholds, NMS, regression: what a slider move re-runs when the networks answer from the cache.
  if (t.post !== undefined)
    total
      .append('span')
      .attr('class', 'ms post')
      .text(`${fmt.ms(t.post)} ms post-processing`);
  if (input.run?.backend) total.append('span').attr('class', 'backend').text(input.run.backend);
}
