import { describe, expect, it } from 'vitest';
import { BEGIN, END, formatRun, tableRow, TABLE_HEADER, upsertRow, type EvalResult, type RunReport } from './report.js';

function result(tpr: number, lastFp: number): EvalResult {
  const at = { tpr, fp: 50 };
  return {
    set: { images: 2207, faces: 4031, detections: 5000 },
    box: { ap: 0.88541 },
    ellipse: { ap: 0.92894 },
    fddb: {
      disc: { '100': at, '500': { tpr: tpr + 0.01, fp: 480 }, '1000': { tpr: tpr + 0.02, fp: 990 } },
      // Budgets scaled to the list's 2,207 of FDDB's 2,845 images.
      disc_scaled: {
        '100': { budget: 77.58, ...at },
        '500': { budget: 387.88, ...at },
        '1000': { budget: 775.75, tpr: tpr + 0.015, fp: 770 },
      },
      at_lowest_threshold: { fp: lastFp, tpr_disc: tpr + 0.03 },
    },
  };
}

const report = (name: string, list = 'dev'): RunReport => ({
  name,
  list,
  detectArgs: name === 'default' ? [] : ['--preset', 'reference'],
  finalThreshold: 0.7,
  rocThreshold: 0.01,
  operating: result(0.9072, 301),
  curve: result(0.9072, 2500),
  date: '2026-11-28',
  commit: 'abc1234',
});

describe('report', () => {
  it('puts the operating point and the low-threshold curve in one row', () => {
    expect(tableRow(report('preset-reference'))).toBe(
      '| preset-reference | dev | `--preset reference`, final threshold 0.7 | 2207 / ' +
        '4031 | 0.8854 | 0.9289 | 0.9072 | 0.9372 @ 301 FP | 0.9072 / 0.9172 / 0.9272 ' +
        '| 0.9222 @ 776 FP | 2500 FP (score > 0.01) | 2026-11-28 | abc1234 |',
    );
    expect(TABLE_HEADER[0].split('|').length).toBe(tableRow(report('x')).split('|').length);
  });

  it('adds a generated section to a page without one, then replaces rows by run and list and appends new ones', () => {
    const page0 = '# Accuracy\n\nText written by hand.\n';
    const page1 = upsertRow(page0, tableRow(report('default')));
    expect(page1.startsWith(page0.trimEnd())).toBe(true);
    expect(page1).toContain(BEGIN);
    expect(page1).toContain(END);
    const page2 = upsertRow(`${page1}\nMore text after.\n`, tableRow(report('preset-reference')));
    const changed = { ...report('default'), commit: 'fff0000' };
    const page3 = upsertRow(upsertRow(page2, tableRow(changed)), tableRow(report('default', 'all')));
    const rows = page3.split('\n').filter((l) => /^\| (default|preset-reference) \|/.test(l));
    expect(
      rows.map((l) =>
        l
          .split('|')
          .slice(1, 3)
          .map((c) => c.trim())
          .join(' '),
      ),
    ).toEqual(['default dev', 'preset-reference dev', 'default all']);
    expect(rows[0]).toContain('fff0000');
    expect(page3).toContain('Text written by hand.');
    expect(page3).toContain('More text after.');
    expect(page3.split(BEGIN)).toHaveLength(2);
  });

  it('prints a summary that warns when the curve stops short of 1,000 FP', () => {
    const r = report('default');
    expect(formatRun(r)).toContain('FDDB dev: 2207 images, 4031 faces');
    expect(formatRun(r)).not.toContain('WARNING');
    expect(formatRun({ ...r, curve: result(0.9, 400) })).toContain('WARNING: the curve stops before 1,000 FP');
  });
});
