import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keepSections, sectionsOf, withSection, writeFormatted } from './doc-sections.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('benchmark doc sections', () => {
  it('replaces a section in place, appends a new one, and keeps the others through a rewrite', () => {
    let doc = '# Benchmarks\n\nbackends...\n';
    doc = withSection(doc, 'service', '## Service\n\nrun 1');
    doc = withSection(doc, 'queue', '## Queue\n\nq 1');
    doc = withSection(doc, 'service', '## Service\n\nrun 2 costs $1');
    expect(sectionsOf(doc).map((s) => s.name)).toEqual(['service', 'queue']);
    expect(doc).toContain('run 2 costs $1');
    expect(doc).not.toContain('run 1');
    const rewritten = keepSections('# Benchmarks\n\nnew backends\n', doc);
    expect(rewritten.startsWith('# Benchmarks\n\nnew backends\n')).toBe(true);
    expect(sectionsOf(rewritten).map((s) => s.text)).toEqual(sectionsOf(doc).map((s) => s.text));
  });

  it('writes a document formatted as pnpm lint expects (a Markdown table aligned by Biome)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doc-'));
    try {
      const path = join(dir, 'b.md');
      writeFormatted(path, '# T\n\n| a | bb |\n| --- | ---: |\n| 1 | 2 |\n', REPO);
      expect(readFileSync(path, 'utf8')).toBe('# T\n\n| a   |  bb |\n| --- | --: |\n| 1   |   2 |\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
