#!/usr/bin/env node
/**
 * pnpm bench: every backend of ours and the JavaScript peer on the fixed protocol, the machine's
 * MatMul peak, memory over 200 detections and the CLI's --jobs scaling, all in one run. Prints the
 * tables, writes docs/benchmarks.md (full runs only), `--json` prints the results as JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureCliThroughput, devList } from './cli-throughput.js';
import { keepSections, writeFormatted } from './doc-sections.js';
import { describeMachine } from './machine.js';
import type { MemoryResult } from './memory.js';
import type { OurInfo, RunMs } from './ours.js';
import { combinePeaks, type Peak } from './peak.js';
import type { PeerInfo, PeerRunMs } from './peer.js';
import {
  IMAGES,
  OUR_BACKENDS,
  PEER_BACKENDS,
  REPO_DIR,
  RUNS,
  SHARED_DIR,
  WARMUP,
  WARM_VISIT_MS,
  OPTIONS,
  type BenchBackend,
} from './protocol.js';
import { benchmarksDoc, markdownTables, summaryLine } from './report.js';
import { failedRow, ourRow, peerRow, type BenchResults, type Row } from './results.js';
import { runTask, serve, type Served } from './spawn.js';
import { checkTargets } from './targets.js';

const HELP = `pnpm bench [options]
  --runs N            timed runs per backend and image after 1 warm-up (default ${RUNS}; the protocol needs >= 5)
  --backends a,b      subset of ${[...OUR_BACKENDS, ...PEER_BACKENDS].join(', ')}
  --images a,b        subset of the protocol's images, by file name
  --memory-count N    detections of the 1920x1080 image on onnx for the memory figure (default 200; 0 = skip)
  --cli-images N|all  FDDB dev images for the --jobs 1 vs 2 figure (default 200; 0 = skip)
  --cli-backend NAME  backend of that CLI run (default onnx, the CLI's default)
  --json              print the results as JSON on stdout (tables go to stderr)
  --docs / --no-docs  write docs/benchmarks.md (default: only for a full-protocol run)`;

const { values: a } = parseArgs({
  options: {
    runs: { type: 'string' },
    backends: { type: 'string' },
    images: { type: 'string' },
    'memory-count': { type: 'string' },
    'cli-images': { type: 'string' },
    'cli-backend': { type: 'string' },
    json: { type: 'boolean', default: false },
    docs: { type: 'boolean' },
    'no-docs': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (a.help) {
  console.log(HELP);
  process.exit(0);
}
if (!existsSync(SHARED_DIR)) {
  console.error(`pnpm bench reads its images from ${SHARED_DIR} (../shared beside the repository), which is missing.`);
  process.exit(2);
}
const int = (v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a whole number, got ${v}`);
  return n;
};
const runs = Math.max(1, int(a.runs, RUNS));
const all: BenchBackend[] = [...OUR_BACKENDS, ...PEER_BACKENDS];
const backends = a.backends ? (a.backends.split(',') as BenchBackend[]) : all;
for (const b of backends) if (!all.includes(b)) throw new Error(`unknown backend ${b}; one of ${all.join(', ')}`);
const images = a.images ? IMAGES.filter((i) => a.images!.split(',').some((n) => basename(i).includes(n))) : [...IMAGES];
const memoryCount = int(a['memory-count'], 200);
const cliImages = a['cli-images'] === 'all' ? undefined : int(a['cli-images'], 200);
const cliBackend = a['cli-backend'] ?? 'onnx'; // the CLI's default
const full = runs >= RUNS && backends.length === all.length && images.length === IMAGES.length;
const writeDocs = a['no-docs'] ? false : (a.docs ?? full);
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const elapsed = (
  (t0) => () =>
    `${((performance.now() - t0) / 1000).toFixed(0)} s`
)(performance.now());

const machine = describeMachine();
log(
  `pnpm bench: ${machine.cpu}, ${machine.cores} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${runs} runs after ${WARMUP} warm-up`,
);

// The MatMul peak is measured several times through the run (start, after each image, end), each
// the best of PEAK_RUNS runs in a fresh process; the yardstick is the best of them all.
const PEAK_RUNS = 50;
const peaks: Peak[] = [];
async function samplePeak(when: string): Promise<void> {
  const r = await runTask<Peak>({ type: 'peak', runs: PEAK_RUNS });
  if (!r.ok || !r.result) {
    log(`MatMul peak failed: ${r.error}`);
    return;
  }
  peaks.push(r.result);
  log(
    `[${elapsed()}] MatMul peak (${when}): best ${r.result.gflops.toFixed(1)} ` +
      `GFLOP/s, median ${r.result.medianGflops.toFixed(1)}`,
  );
}

await samplePeak('start');
const rows: Row[] = [];
const isPeer = (b: BenchBackend): boolean => (PEER_BACKENDS as readonly string[]).includes(b);
for (const image of images) {
  const file = join(SHARED_DIR, image);
  // Every backend in its own process, prepared on the decoded image; then the timed runs go
  // round-robin (warm-up round first, the order rotating): load from other work on the machine
  // falls on all backends alike, so the ratios between them hold.
  const served = new Map<BenchBackend, Served<RunMs | PeerRunMs, OurInfo | PeerInfo>>();
  const failed = new Map<BenchBackend, string>();
  for (const backend of backends) {
    const s = await serve<RunMs | PeerRunMs, OurInfo | PeerInfo>({ type: 'serve', backend, file });
    if ('error' in s) failed.set(backend, s.error);
    else served.set(backend, s);
  }
  const times = new Map<BenchBackend, (RunMs | PeerRunMs)[]>(backends.map((b) => [b, []]));
  // A process that waited while the others ran starts with cold caches and sleeping threads: a
  // detection of under WARM_VISIT_MS then gets an untimed one just before it, so every row times a
  // detection following another, as in a stream of images. (Longer ones are not affected.)
  const warmVisit = new Map<BenchBackend, boolean>();
  for (let round = 0; round < WARMUP + runs; round++) {
    const order = backends.map((_, k) => backends[(k + round) % backends.length]);
    for (const backend of order) {
      const s = served.get(backend);
      if (!s || failed.has(backend)) continue;
      try {
        const ms = await s.run(warmVisit.get(backend) === true);
        if (round >= WARMUP) times.get(backend)!.push(ms);
        else warmVisit.set(backend, ms.total < WARM_VISIT_MS);
      } catch (e) {
        failed.set(backend, String(e));
      }
    }
    log(
      `[${elapsed()}] ${basename(image)}: round ${round + 1} of ${WARMUP + runs}${round < WARMUP ? ' (warm-up)' : ''}`,
    );
  }
  for (const backend of backends) {
    const s = served.get(backend);
    const end = s ? await s.end() : undefined;
    let row: Row;
    const error = failed.get(backend) ?? (end && !end.ok ? end.error : undefined);
    if (error || !end?.result) row = failedRow(backend, image, error ?? 'no result');
    else if (isPeer(backend))
      row = peerRow(
        backend,
        image,
        { ...(end.result as PeerInfo), runs: times.get(backend) as PeerRunMs[] },
        end.maxRssMb,
      );
    else
      row = ourRow(
        backend,
        image,
        { ...(end.result as OurInfo), runs: times.get(backend) as RunMs[] },
        end.maxRssMb,
        NaN, // efficiency against the final peak, below
      );
    rows.push(row);
    log(
      `[${elapsed()}] ${backend} ${basename(image)}: ` +
        (row.error
          ? `FAILED ${row.error}`
          : `${row.totalMs.toFixed(1)} ms, ${row.faces} faces, peak RSS ${row.maxRssMb.toFixed(0)} MB`),
    );
  }
  await samplePeak(`after ${basename(image)}`);
}

let memory: BenchResults['memory'];
if (memoryCount > 0) {
  const r = await runTask<MemoryResult>({
    type: 'memory',
    backend: 'onnx',
    file: join(SHARED_DIR, IMAGES[1]),
    count: memoryCount,
    settle: Math.min(10, memoryCount),
  });
  if (r.ok && r.result) memory = { ...r.result, maxRssMb: r.maxRssMb };
  log(
    `[${elapsed()}] memory: ` +
      (memory
        ? `${memory.startRssMb.toFixed(0)} -> ${memory.endRssMb.toFixed(0)} MB RSS, ` +
          `peak ${memory.maxRssMb.toFixed(0)} MB`
        : `FAILED ${r.error}`),
  );
}

let cli: BenchResults['cli'];
if (cliImages !== 0) {
  const files = devList(cliImages);
  try {
    cli = await measureCliThroughput(files, cliBackend);
    log(
      `[${elapsed()}] CLI ${files.length} images: --jobs 1 ${cli.jobs1.imagesPerSecond.toFixed(2)}/s, ` +
        `--jobs 2 ${cli.jobs2.imagesPerSecond.toFixed(2)}/s (${cli.ratio.toFixed(2)}x)`,
    );
  } catch (e) {
    log(`CLI throughput failed: ${String(e)} (is the repository built?)`);
  }
}

await samplePeak('end');
// The best of all samples: a lower one means other work took the CPU, not a slower machine.
const peak = combinePeaks(peaks);
for (const r of rows) if (r.gflops !== undefined) r.efficiency = r.gflops / peak.gflops;
machine.loadEnd = loadavg()[0];

const partial: Omit<BenchResults, 'targets'> = {
  machine,
  protocol: { images: images.map((i) => i), options: OPTIONS, warmup: WARMUP, runs },
  peak,
  rows,
  memory,
  cli,
};
const results: BenchResults = { ...partial, targets: checkTargets(partial) };

const text = `${summaryLine(results)}\n\n${markdownTables(results)}\n`;
if (a.json) {
  log(text);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  console.log(text);
}
if (writeDocs) {
  const docPath = join(REPO_DIR, 'docs/benchmarks.md');
  // The Service / Queue sections come from pnpm bench:serve: kept as they are.
  writeFormatted(
    docPath,
    keepSections(benchmarksDoc(results), existsSync(docPath) ? readFileSync(docPath, 'utf8') : ''),
    REPO_DIR,
  );
  log(`wrote docs/benchmarks.md (${elapsed()})`);
} else {
  log(`docs/benchmarks.md not written (${full ? '--no-docs' : 'not a full-protocol run; --docs forces it'}).`);
}
