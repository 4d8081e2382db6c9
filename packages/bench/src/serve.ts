#!/usr/bin/env node
/**
 * pnpm bench:serve: issue 12's service and queue benchmarks; prints a table and writes their
 * sections of docs/benchmarks.md (the rest of that file is `pnpm bench`'s). Not a test: the
 * figures depend on the machine and on what else runs on it (the load is recorded beside them).
 *
 *   --only service|queue   one part (default: both)
 *   --seconds N            per throughput measurement (default 20)
 *   --repeat N             best of N (default 2)
 *   --rss-requests N       requests of the RSS run (default 10000; 0 skips it)
 *   --queue-images N|all   FDDB dev images of the queue part (default all: 2,207)
 *   --no-docs              print only
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, uptime } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withSection, writeFormatted } from './doc-sections.js';
import { describeMachine } from './machine.js';
import { REPO_DIR, SHARED_DIR } from './protocol.js';
import { devList, FDDB_DIR } from './cli-throughput.js';
import { measureQueueThroughput, queueMarkdown } from './queue-throughput.js';
import { measureService, serviceMarkdown } from './service.js';

const { values: a } = parseArgs({
  options: {
    only: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '2' },
    'rss-requests': { type: 'string', default: '10000' },
    'queue-images': { type: 'string', default: 'all' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const parts = a.only ? [a.only] : ['service', 'queue'];
const machine = describeMachine();
const machineLine = `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}`;
// Busy when the 1-minute load went over the cores plus one at either end of a part: the benchmark's
// own processes (the load generator, Redis, beside the workers) and the previous part's tail count in
// that average, so a quiet machine reads about the core count.
const busy = (): boolean => loadavg()[0] > availableParallelism() + 1;
const busyNote = (wasBusy: boolean): string =>
  wasBusy
    ? ' The machine was shared with other work during this run (load above the core count): the ' +
      'figures are lower, and noisier, than on a quiet machine; rerun there for the reference figures.'
    : " The load stayed at or below the core count plus one (this benchmark's own processes: the load " +
      "generator or Redis beside the workers, and the previous part's tail): nothing else competed for the cores.";
const loadLine = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')} (1, 5, 15 min; up ${(uptime() / 3600).toFixed(1)} h)`;

const docPath = join(REPO_DIR, 'docs/benchmarks.md');
const sections: { name: string; markdown: string }[] = [];

if (parts.includes('service')) {
  const image = join(SHARED_DIR, 'images/dev/bbt4_640x480.jpg');
  const loadBefore = loadLine();
  const busyBefore = busy();
  log(`bench:serve service: ${image}, ${loadBefore}`);
  const r = await measureService({
    image,
    seconds: Number(a.seconds),
    repeat: Number(a.repeat),
    connections: [1, 8, 64],
    rssRequests: Number(a['rss-requests']),
    workers: availableParallelism(),
    log,
  });
  const load = `${loadBefore} at the start, ${loadLine()} at the end.${busyNote(busyBefore || busy())}`;
  sections.push({ name: 'service', markdown: serviceMarkdown(r, machineLine, load) });
}

if (parts.includes('queue')) {
  // BullMQ workers (1 and 2 processes, a thread each) against `mtcnn detect --jobs 1/2` on FDDB dev.
  const files = devList(a['queue-images'] === 'all' ? undefined : Number(a['queue-images'])).map((f) =>
    join(FDDB_DIR, f),
  );
  const loadBefore = loadLine();
  const busyBefore = busy();
  log(`bench:serve queue: ${files.length} FDDB dev images, ${loadBefore}`);
  const r = await measureQueueThroughput(files, 'onnx', Number(a.repeat), log);
  const load = `${loadBefore} at the start, ${loadLine()} at the end.${busyNote(busyBefore || busy())}`;
  sections.push({ name: 'queue', markdown: queueMarkdown(r, machineLine, load) });
}

for (const s of sections) console.log(`\n${s.markdown}\n`);
if (!a['no-docs'] && sections.length > 0) {
  let doc = readFileSync(docPath, 'utf8');
  for (const s of sections) doc = withSection(doc, s.name, s.markdown);
  writeFormatted(docPath, doc, REPO_DIR);
  log(`wrote ${sections.map((s) => s.name).join(', ')} in docs/benchmarks.md`);
}
