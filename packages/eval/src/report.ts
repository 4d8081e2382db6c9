/** The parts of `eval-faces.mjs --json` that the report uses. */
export interface EvalResult {
  set: { images: number; faces: number; detections: number };
  box: { ap: number | null };
  ellipse?: { ap: number | null };
  fddb?: {
    disc: Record<'100' | '500' | '1000', { tpr: number; fp: number }>;
    disc_scaled: Record<'100' | '500' | '1000', { budget: number; tpr: number; fp: number }>;
    at_lowest_threshold: { fp: number; tpr_disc: number };
  };
}

export interface RunReport {
  name: string;
  /** `dev`, `all`, or `dev[:20]` with --limit. */
  list: string;
  detectArgs: string[];
  finalThreshold: number;
  rocThreshold: number;
  /** Scored at the detector's final threshold (the operating point users get). */
  operating: EvalResult;
  /** Scored with every face down to `rocThreshold` (the ROC curve). */
  curve: EvalResult;
  date: string;
  commit: string;
}

const f4 = (v: number | null | undefined): string => (v == null ? 'n/a' : v.toFixed(4));

export const TABLE_HEADER = [
  '| run | list | `mtcnn detect` options | images / faces | box AP@0.5 | ellipse ' +
    'AP@0.5 | FDDB TPR @100 FP | TPR at last point | curve: TPR @100 / 500 / 1000 FP | ' +
    'curve: TPR @1000 FP scaled to the list | curve ends at | date | base commit |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];

/** One markdown row: the operating point (threshold as given), then the low-threshold curve. */
export function tableRow(r: RunReport): string {
  const op = r.operating;
  const cv = r.curve;
  const opts = r.detectArgs.length ? `\`${r.detectArgs.join(' ')}\`` : '(none)';
  const cells = [
    r.name,
    r.list,
    `${opts}, final threshold ${r.finalThreshold}`,
    `${op.set.images} / ${op.set.faces}`,
    f4(op.box.ap),
    f4(op.ellipse?.ap),
    f4(op.fddb?.disc['100'].tpr),
    op.fddb ? `${f4(op.fddb.at_lowest_threshold.tpr_disc)} @ ${op.fddb.at_lowest_threshold.fp} FP` : 'n/a',
    cv.fddb
      ? `${f4(cv.fddb.disc['100'].tpr)} / ${f4(cv.fddb.disc['500'].tpr)} / ${f4(cv.fddb.disc['1000'].tpr)}`
      : 'n/a',
    cv.fddb ? `${f4(cv.fddb.disc_scaled['1000'].tpr)} @ ${cv.fddb.disc_scaled['1000'].budget.toFixed(0)} FP` : 'n/a',
    cv.fddb ? `${cv.fddb.at_lowest_threshold.fp} FP (score > ${r.rocThreshold})` : 'n/a',
    r.date,
    r.commit,
  ];
  return `| ${cells.join(' | ')} |`;
}

export const BEGIN =
  '<!-- eval:fddb:begin — rows written by `pnpm eval:fddb`, one per run and list; edit outside these markers -->';
export const END = '<!-- eval:fddb:end -->';

const keyOf = (row: string): string =>
  row
    .split('|')
    .slice(1, 3)
    .map((c) => c.trim())
    .join('|');

/**
 * `markdown` with `row` put into the generated table: replacing the row of the same run and list,
 * or added at the end. A document without the markers gets a new section at its end.
 */
export function upsertRow(markdown: string, row: string): string {
  const b = markdown.indexOf(BEGIN);
  const e = markdown.indexOf(END);
  if (b < 0 || e < b) {
    const table = [BEGIN, ...TABLE_HEADER, row, END].join('\n');
    return `${markdown.replace(/\s*$/, '')}${markdown.trim() ? '\n\n' : ''}## Measured runs\n\n${table}\n`;
  }
  const rows = markdown
    .slice(b + BEGIN.length, e)
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| run |') && !l.startsWith('| ---'));
  const at = rows.findIndex((l) => keyOf(l) === keyOf(row));
  if (at >= 0) rows[at] = row;
  else rows.push(row);
  return `${markdown.slice(0, b)}${[BEGIN, ...TABLE_HEADER, ...rows, END].join('\n')}${markdown.slice(e + END.length)}`;
}

/** What `pnpm eval:fddb` prints at the end. */
export function formatRun(r: RunReport): string {
  const op = r.operating;
  const cv = r.curve;
  const lines = [
    `FDDB ${r.list}: ${op.set.images} images, ${op.set.faces} faces — run ` +
      `"${r.name}" (${r.detectArgs.join(' ') || 'default options'})`,
    `  at final threshold ${r.finalThreshold}: box AP@0.5 ${f4(op.box.ap)}  ellipse AP@0.5 ${f4(op.ellipse?.ap)}  ` +
      (op.fddb
        ? `FDDB TPR ${f4(op.fddb.disc['100'].tpr)} @100 FP, ${f4(op.fddb.at_lowest_threshold.tpr_disc)} ` +
          `at its last point (${op.fddb.at_lowest_threshold.fp} FP)`
        : ''),
  ];
  if (cv.fddb) {
    const d = cv.fddb;
    lines.push(
      `  curve down to score > ${r.rocThreshold}: TPR ${f4(d.disc['100'].tpr)} ` +
        `@100, ${f4(d.disc['500'].tpr)} @500, ${f4(d.disc['1000'].tpr)} @1000 FP;` +
        ` scaled to the list: ${f4(d.disc_scaled['1000'].tpr)} ` +
        `@${d.disc_scaled['1000'].budget.toFixed(0)} FP; ends at ${d.at_lowest_threshold.fp} FP`,
    );
    if (d.at_lowest_threshold.fp < 1000)
      lines.push(`  WARNING: the curve stops before 1,000 FP; lower --roc-threshold.`);
  }
  return lines.join('\n');
}
