/**
 * docs/benchmarks.md is written by several benchmarks: `pnpm bench` writes the whole file, and
 * `pnpm bench:serve` its "Service" (and "Queue") sections. A section lives between
 * `<!-- section:NAME -->` and `<!-- /section:NAME -->`; each writer replaces its own and keeps the others.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Writes a generated document and formats it as the repository's lint expects (Biome formats
 * Markdown tables), so that a benchmark run never leaves `pnpm lint` red. A missing Biome only warns.
 */
export function writeFormatted(path: string, text: string, repoDir: string): void {
  const biome = join(repoDir, 'node_modules/.bin/biome');
  // Through stdin, with the repository's configuration (cwd), wherever the file is.
  const r = spawnSync(biome, ['format', `--stdin-file-path=${basename(path)}`], {
    cwd: repoDir,
    input: text,
    encoding: 'utf8',
  });
  if (r.status !== 0) process.stderr.write(`(${path} not formatted: ${r.error?.message ?? r.stderr.trim()})\n`);
  writeFileSync(path, r.status === 0 ? r.stdout : text);
}

const open = (name: string): string => `<!-- section:${name} -->`;
const close = (name: string): string => `<!-- /section:${name} -->`;

/** The sections of `doc`, whole (markers included), in order. */
export function sectionsOf(doc: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const re = /<!-- section:([\w-]+) -->[\s\S]*?<!-- \/section:\1 -->/g;
  for (const m of doc.matchAll(re)) out.push({ name: m[1], text: m[0] });
  return out;
}

/** `doc` with section `name` set to `body` (replaced in place, or appended at the end). */
export function withSection(doc: string, name: string, body: string): string {
  const text = `${open(name)}\n${body.trim()}\n${close(name)}`;
  const existing = sectionsOf(doc).find((s) => s.name === name);
  if (existing) return doc.replace(existing.text, () => text);
  return `${doc.trimEnd()}\n\n${text}\n`;
}

/** `fresh` (a whole new document) with the sections of `previous` that `fresh` lacks, appended. */
export function keepSections(fresh: string, previous: string): string {
  let doc = fresh;
  const have = new Set(sectionsOf(fresh).map((s) => s.name));
  for (const s of sectionsOf(previous)) if (!have.has(s.name)) doc = `${doc.trimEnd()}\n\n${s.text}\n`;
  return doc;
}
