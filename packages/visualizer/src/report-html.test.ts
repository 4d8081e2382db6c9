import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureInput } from './fixture.test-util.js';
import { REPORT_DATA_ID, unpackReport } from './report-data.js';
import { buildReportHtml, inlineSafe } from './report-html.js';

const built = existsSync(fileURLToPath(new URL('../dist/report/report.js', import.meta.url)));

describe('report html', () => {
  it('neutralises closing tags and comment openers in inlined code', () => {
    expect(inlineSafe('a="</script>";b="</STYLE>";c="<!--"')).toBe('a="<\\/script>";b="<\\/STYLE>";c="<\\!--"');
  });

  // buildReportHtml reads dist/report relative to its own module; from src that is this package's dist.
  it.skipIf(!built)('embeds the viewer, the image and the trace in one file', async () => {
    const { trace } = await fixtureInput();
    trace.options.borderMode = 'zero-pad';
    const html = await buildReportHtml({
      trace,
      png: new Uint8Array([1, 2, 3]),
      name: '<evil>.png',
      backend: 'fake',
      createdAt: new Date(0),
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>MTCNN stages: &lt;evil&gt;.png</title>');
    expect(html).not.toMatch(/<script[^>]+src=/);
    const json = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([^<]*)</script>`).exec(html)![1];
    const data = unpackReport(json);
    expect(data.name).toBe('<evil>.png');
    expect(data.image).toBe('data:image/png;base64,AQID');
    expect(data.trace.counts).toEqual(trace.counts);
  });
});
