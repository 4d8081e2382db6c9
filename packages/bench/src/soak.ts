#!/usr/bin/env node
/**
 * pnpm bench:soak: 1,000 detections per backend, each backend in a fresh process, reporting RSS
 * (and, for in-process tfjs, the live tensor count) after the first 10 detections and at the end,
 * and writing the "Soak" section of docs/reliability.md. Not part of CI (it takes tens of
 * minutes); `--count N` for a shorter run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from './machine.js';
import type { MemoryResult } from './memory.js';
import { OUR_BACKENDS, REPO_DIR, SHARED_DIR, type OurBackend } from './protocol.js';
import { writeFormatted } from './doc-sections.js';
import { runTask } from './spawn.js';

const { values: a } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    backends: { type: 'string' },
    // 122x178, one face: every stage runs on every detection, and 1,000 of them on tfjs-cpu (plain
    // JS) take minutes, not hours; --image for another.
    image: { type: 'string', default: 'images/dev/face_rectangular.png' },
    'no-docs': { type: 'boolean', default: false },
    // KEY=VALUE set in the environment of the backend processes (repeatable), for experiments on
    // native memory, e.g. --env MALLOC_ARENA_MAX=2 --env NODE_OPTIONS=--max-semi-space-size=4.
    env: { type: 'string', multiple: true, default: [] },
  },
});
for (const kv of a.env ?? []) {
  const eq = kv.indexOf('=');
  if (eq < 1) throw new Error(`--env takes KEY=VALUE, got ${kv}`);
  process.env[kv.slice(0, eq)] = kv.slice(eq + 1); // inherited by the forked backend processes
}
const count = Number(a.count);
if (!Number.isInteger(count) || count < 20) throw new Error(`--count must be a whole number >= 20, got ${a.count}`);
const backends = (a.backends ? a.backends.split(',') : [...OUR_BACKENDS]) as OurBackend[];
const file = join(SHARED_DIR, a.image!);
if (!existsSync(file)) {
  console.error(`pnpm bench:soak reads ${file} (../shared beside the repository), which is missing.`);
  process.exit(2);
}
/** RSS may wobble by allocator noise; more than this from detection 10 to the end counts as growth. */
const GROWTH_MB = 10;
/** Growth over the second half of the run below which a larger total is a plateau, not a leak. */
const LATE_GROWTH_MB = 5;

const machine = describeMachine();
const rows: { backend: OurBackend; result?: MemoryResult & { maxRssMb: number }; error?: string }[] = [];
for (const backend of backends) {
  process.stderr.write(
    `soak: ${backend}, ${count} detections ` +
      `of ${basename(file)}${a.env?.length ? ` (env ${a.env.join(' ')})` : ''}...\n`,
  );
  const r = await runTask<MemoryResult>({ type: 'memory', backend, file, count, settle: 10 });
  rows.push(
    r.ok && r.result ? { backend, result: { ...r.result, maxRssMb: r.maxRssMb } } : { backend, error: r.error },
  );
  const x = rows[rows.length - 1].result;
  process.stderr.write(
    x
      ? `  RSS ${x.startRssMb.toFixed(0)} -> ${x.endRssMb.toFixed(0)} MB, ${x.seconds.toFixed(0)} s\n`
      : `  FAILED ${r.error}\n`,
  );
}

const num = (v: number | undefined, d = 0): string => (v === undefined ? '-' : v.toFixed(d));
const table = [
  '| backend | detections | RSS after 10 (MB) | RSS at the end (MB) | growth (MB) | growth in the second half ' +
    '(MB) | peak RSS (MB) | tfjs tensors after 10 / at the end | faces first / last | seconds | verdict |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map(({ backend, result: m, error }) => {
    if (!m) return `| ${backend} | failed: ${(error ?? '').split('\n')[0]} | | | | | | | | |`;
    const growth = m.endRssMb - m.startRssMb;
    // The sample nearest half-way: a leak keeps growing there, a warm-up plateau does not.
    const mid = m.samples.reduce((a, b) =>
      Math.abs(b.detections - m.count / 2) < Math.abs(a.detections - m.count / 2) ? b : a,
    );
    const late = m.endRssMb - mid.rssMb;
    const tensorsFlat = m.startTensors === undefined || m.startTensors === m.endTensors;
    const same = tensorsFlat && m.firstFaces === m.lastFaces;
    const verdict = !same
      ? '**check**'
      : growth < GROWTH_MB
        ? 'flat'
        : late < LATE_GROWTH_MB
          ? 'levels off'
          : '**grows**';
    const tensors =
      m.startTensors !== undefined
        ? `${m.startTensors} / ${m.endTensors}`
        : backend.startsWith('tfjs')
          ? 'in worker threads'
          : '-';
    return (
      `| ${backend} | ${m.count} | ${num(m.startRssMb)} | ${num(m.endRssMb)} ` +
      `| ${num(growth, 1)} | ${num(late, 1)} | ${num(m.maxRssMb)} ` +
      `| ${tensors} ` +
      `| ${m.firstFaces} / ${m.lastFaces} | ${num(m.seconds)} | ${verdict} |`
    );
  }),
].join('\n');
console.log(table);

if (!a['no-docs']) {
  const section = `## Soak

Written by \`pnpm bench:soak\` (packages/bench/src/soak.ts) on ${machine.date.slice(0, 10)}: ${count} detections of
\`${a.image}\` per backend, each backend in a fresh process with one detector (default options), on ${machine.cpu}
(${machine.cores} cores, load average ${machine.loadStart.toFixed(2)} at the start), Node ${machine.node}. \
"After 10" is the
baseline: the first detections grow pools, caches and the runtimes' arenas once. Verdict "flat": RSS grows by less
than ${GROWTH_MB} MB from there to the end; "levels off": more than that in all, \
but less than ${LATE_GROWTH_MB} MB over the second half
of the run (a plateau: garbage not yet collected, heaps sized once, not a per-detection leak); \
"grows": neither. In every
row the tfjs tensor count (in-process tfjs only; the threaded backend keeps its tensors in worker threads) must be flat
and the last detection must find the faces of the first ("check" otherwise).

${table}
`;
  const path = join(REPO_DIR, 'docs/reliability.md');
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Reliability\n';
  // Replace our section (up to the next "## " heading) or append it; other sections stay as they are.
  const start = doc.search(/^## Soak\s*$/m);
  if (start >= 0) {
    const rest = doc.slice(start + 1);
    const next = rest.search(/^## /m);
    doc = doc.slice(0, start) + section + (next >= 0 ? `\n${rest.slice(next)}` : '');
  } else {
    doc = doc.replace(/\s*$/, '\n\n') + section;
  }
  writeFormatted(path, doc, REPO_DIR);
  process.stderr.write(`wrote the Soak section of docs/reliability.md\n`);
}
