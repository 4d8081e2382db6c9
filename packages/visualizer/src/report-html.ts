import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { StageTrace } from '@mtcnn/core';
import { packReport, REPORT_DATA_ID } from './report-data.js';

/**
 * Node side of the report: one self-contained HTML file (the built report viewer's JS and CSS
 * inlined, the image and trace embedded) that opens offline. Used by `mtcnn report`.
 */
export interface ReportInput {
  trace: StageTrace;
  /** PNG bytes of the pixels the detector saw. */
  png: Uint8Array;
  name: string;
  backend: string;
  createdAt?: Date;
}

/** The built viewer, dist/report: next to this module in dist/lib (or beside src/, when run from source in tests). */
export async function reportAssets(): Promise<{ js: string; css: string }> {
  const dir = [new URL('../report/', import.meta.url), new URL('../dist/report/', import.meta.url)].find((u) =>
    existsSync(fileURLToPath(u)),
  );
  const at = (f: string): string => fileURLToPath(new URL(f, dir ?? new URL('../report/', import.meta.url)));
  try {
    const [js, css] = await Promise.all([readFile(at('report.js'), 'utf8'), readFile(at('report.css'), 'utf8')]);
    return { js, css };
  } catch (cause) {
    throw new Error(`The report viewer is not built (${at('report.js')}): run \`pnpm build\`.`, { cause });
  }
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Makes text safe inside a <script> or <style> element: no closing tag or comment opener can appear. */
export function inlineSafe(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export async function buildReportHtml(input: ReportInput): Promise<string> {
  const { js, css } = await reportAssets();
  const data = packReport({
    format: 'mtcnn-report/1',
    name: input.name,
    image: `data:image/png;base64,${Buffer.from(input.png).toString('base64')}`,
    backend: input.backend,
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    trace: input.trace,
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>MTCNN stages: ${escapeHtml(input.name)}</title>`,
    `<style>${inlineSafe(css)}</style>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    // JSON is inert in an application/json script; "<" is escaped so no "</script>" can appear.
    `<script type="application/json" id="${REPORT_DATA_ID}">${data.replace(/</g, '\\u003c')}</script>`,
    `<script>${inlineSafe(js)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
