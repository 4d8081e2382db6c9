import type { NodeRef } from '../explain/lineage.js';
import type { HitStage, QueryAnswer, QueryHit } from '../explain/query.js';
import { fmt } from '../model.js';
import type { Container } from '../view.js';

export interface QueryViewState {
  onPick?: (ref: NodeRef) => void;
  /** Opens P-Net on a level and cell (for windows below the threshold, which are no box). */
  onCell?: (level: number, cell: [number, number]) => void;
  onClose?: () => void;
  /** Hits listed per stage before "and n more". */
  limit?: number;
}

const STAGE_NAMES: Record<HitStage, string> = {
  'pnet-cell': 'P-Net windows (best per level)',
  pnet: 'P-Net candidates',
  rnet: 'R-Net crops',
  onet: 'O-Net crops',
  face: 'Final faces',
};

/** The answer to "why (not) detected?": one line, then every box over the region, stage by stage. */
export function queryRenderer(sel: Container, answer: QueryAnswer | undefined, state: QueryViewState = {}): void {
  sel.html('');
  if (!answer) {
    sel.attr('hidden', '');
    return;
  }
  sel.attr('hidden', null);
  const head = sel.append('div').attr('class', 'query-head');
  const r = answer.region;
  head
    .append('span')
    .attr('class', 'query-where')
    .text(
      r.kind === 'point'
        ? `Why? At (${Math.round(r.x)}, ${Math.round(r.y)}):`
        : `Why? For the region ${fmt.box(r.box.map(Math.round))}:`,
    );
  head.append('strong').attr('class', 'query-summary').attr('data-verdict', answer.verdict.at).text(answer.summary);
  head
    .append('button')
    .attr('type', 'button')
    .attr('class', 'query-close')
    .attr('aria-label', 'Close the answer')
    .text('✕')
    .on('click', () => state.onClose?.());
  for (const n of answer.notes) sel.append('p').attr('class', 'query-note').text(n);
  const limit = state.limit ?? 6;
  const grid = sel.append('div').attr('class', 'query-stages');
  for (const stage of ['pnet-cell', 'pnet', 'rnet', 'onet', 'face'] as const) {
    const hits = answer.hits[stage];
    const box = grid.append('div').attr('class', 'query-stage').attr('data-stage', stage);
    box.append('h4').text(`${STAGE_NAMES[stage]} (${hits.length})`);
    if (hits.length === 0) {
      box
        .append('p')
        .attr('class', 'empty')
        .text(stage === 'face' ? 'none here' : 'none over it');
      continue;
    }
    const ul = box.append('ul');
    for (const h of hits.slice(0, limit)) row(ul.append('li').attr('class', `hit ${h.fate}`), h, state);
    if (hits.length > limit)
      ul.append('li')
        .attr('class', 'muted')
        .text(`and ${hits.length - limit} more`);
  }
}

function row(li: Container, h: QueryHit, state: QueryViewState): void {
  const label =
    h.stage === 'pnet-cell'
      ? `L${h.level} (${h.cell![0]}, ${h.cell![1]})`
      : h.stage === 'face'
        ? `face ${h.ref!.id + 1}`
        : `#${h.ref!.id}`;
  li.append('button')
    .attr('type', 'button')
    .attr('class', 'ref-link')
    .attr('data-ref', h.ref ? `${h.ref.stage}:${h.ref.id}` : `cell:${h.level}:${h.cell}`)
    .text(label)
    .on('click', () => (h.ref ? state.onPick?.(h.ref) : state.onCell?.(h.level!, h.cell!)));
  li.append('span').text(` ${h.why}`);
}
