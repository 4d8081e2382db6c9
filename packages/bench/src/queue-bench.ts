#!/usr/bin/env node
/**
 * pnpm bench:queue: `mtcnn queue work` (1 and 2 processes) against `mtcnn detect --jobs 1/2` on the
 * FDDB dev list, on a real redis-server started here. Prints Markdown (or JSON with --json).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { devList, FDDB_DIR } from './cli-throughput.js';
import { measureQueueThroughput, queueMarkdown } from './queue-throughput.js';

const HELP = `pnpm bench:queue [options]
  --images N|all   FDDB dev images (default all: 2,207)
  --rounds N       interleaved rounds; the best of them is reported (default 1)
  --backend NAME   backend of every run (default onnx)
  --json           print the results as JSON on stdout`;

const { values: a } = parseArgs({
  options: {
    images: { type: 'string' },
    rounds: { type: 'string' },
    backend: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (a.help) {
  console.log(HELP);
  process.exit(0);
}
if (!existsSync(join(FDDB_DIR, 'dev.txt'))) {
  console.error(`pnpm bench:queue reads FDDB from ${FDDB_DIR} (../shared beside the repository), which is missing.`);
  process.exit(2);
}
const images = a.images === undefined || a.images === 'all' ? undefined : Number(a.images);
const rounds = a.rounds === undefined ? 1 : Number(a.rounds);
if ((images !== undefined && !(Number.isInteger(images) && images > 0)) || !(Number.isInteger(rounds) && rounds > 0)) {
  console.error(HELP);
  process.exit(2);
}
const files = devList(images).map((f) => join(FDDB_DIR, f));
const r = await measureQueueThroughput(files, a.backend ?? 'onnx', rounds, (line) => console.error(line));
if (a.json) console.log(JSON.stringify(r, null, 2));
else console.log(queueMarkdown(r));
