import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './program.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('mtcnn report', () => {
  it('writes one self-contained HTML file with the trace and the image embedded', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mtcnn-report-')), 'r.html');
    const { code, stdout, stderr } = await cli('report', SAMPLE, '-o', out, '--min-face', '24');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file: SAMPLE, output: out, faces: 4 });
    expect(stderr).toContain('4 faces');
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const json = /<script type="application\/json" id="mtcnn-report-data">([^<]*)<\/script>/.exec(html)![1];
    const data = JSON.parse(json);
    expect(data.format).toBe('mtcnn-report/1');
    expect(data.image).toMatch(/^data:image\/png;base64,/);
    expect(data.trace.options.minFaceSize).toBe(24);
    expect(data.trace.counts.faces).toBe(4);
    expect(data.trace.pyramid.length).toBe(data.trace.counts.scales);
  });

  it('rejects invalid options before loading anything', async () => {
    const { code, stderr } = await cli('report', SAMPLE, '--min-face', '5', '-o', join(tmpdir(), 'never.html'));
    expect(code).toBe(2);
    expect(stderr).toContain('INVALID_OPTION');
  });
});
