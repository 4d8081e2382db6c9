import type { VizInput } from '../model.js';
import { journeyText, lineageVerdict } from './journey.js';
import type { Lineage } from './lineage.js';
import type { HitStage, QueryAnswer } from './query.js';

const STAGES: Record<HitStage, string> = {
  'pnet-cell': 'P-Net windows (best per level)',
  pnet: 'P-Net candidates',
  rnet: 'R-Net crops',
  onet: 'O-Net crops',
  face: 'Final faces',
};

/**
 * The downloadable explanation: the image and options, the selected box's journey, and the
 * last question's answer with every box over its region. Plain text, the words of the panels.
 */
export function explanationText(
  input: VizInput,
  lineage: Lineage | undefined,
  answer: QueryAnswer | undefined,
): string {
  const { trace } = input;
  const o = trace.options;
  const lines = [
    `MTCNN explanation: ${input.image.name ?? 'image'} (${trace.image.width}×${trace.image.height})`,
    `backend ${input.run?.backend ?? '?'} · min face ${o.minFaceSize} px · scale factor ${o.scaleFactor} · ` +
      `thresholds ${o.thresholds.join(' / ')} · NMS ${o.nmsThresholds.join(' / ')} · border ${o.borderMode}`,
    `stages: ${trace.counts.scales} levels, ${trace.counts.pnet} P-Net candidates, ${trace.counts.pnetNms} ` +
      `after NMS, ${trace.counts.rnet} passed R-Net, ${trace.counts.rnetNms} after its ` +
      `NMS, ${trace.counts.onet} passed O-Net, ${trace.counts.faces} faces`,
    '',
  ];
  if (lineage) {
    lines.push(
      'Journey of ' +
        `${lineage.face !== undefined ? `face ${lineage.face + 1}` : `P-Net candidate #${lineage.pnet.id}`}: ` +
        `${lineageVerdict(trace, lineage)}`,
    );
    lines.push(journeyText(trace, lineage), '');
  }
  if (answer) {
    const r = answer.region;
    lines.push(
      'Question: ' +
        (r.kind === 'point'
          ? `the point (${r.x.toFixed(1)}, ${r.y.toFixed(1)})`
          : `the region [${r.box.map((v) => v.toFixed(1)).join(', ')}] (x1, y1, x2, y2)`),
      `Answer: ${answer.summary}`,
      ...answer.notes,
    );
    for (const stage of Object.keys(STAGES) as HitStage[]) {
      const hits = answer.hits[stage];
      lines.push(`${STAGES[stage]}: ${hits.length}`);
      for (const h of hits) {
        const id =
          h.stage === 'pnet-cell'
            ? `L${h.level} cell (${h.cell![0]}, ${h.cell![1]})`
            : h.stage === 'face'
              ? `face ${h.ref!.id + 1}`
              : `#${h.ref!.id}`;
        lines.push(`  ${id}: ${h.why}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
