/** The bench's results as data (what `--json` prints), and the median rows built from raw runs. */
import { cascadeFlops } from './flops.js';
import type { Machine } from './machine.js';
import type { MemoryResult } from './memory.js';
import type { ImageRun } from './ours.js';
import type { PeakSamples } from './peak.js';
import type { PeerImageRun } from './peer.js';
import { OPTIONS, type BenchBackend } from './protocol.js';
import { median } from './stats.js';

export interface Row {
  backend: BenchBackend;
  image: string;
  width: number;
  height: number;
  error?: string;
  /** Medians over the timed runs, ms (each column its own median). */
  totalMs: number;
  pnetMs: number;
  rnetMs: number;
  onetMs: number;
  /** Ours: thresholds/NMS/regression inside the stages. */
  postMs?: number;
  /** Ours: time inside the three networks' runs. */
  networkMs?: number;
  /** Ours: the cascade's FLOPs for this image, from the architecture and the run's counts. */
  gflop?: number;
  gflops?: number;
  /** GFLOP/s over the MatMul peak. */
  efficiency?: number;
  maxRssMb: number;
  faces: number;
  /** R-Net and O-Net inputs. */
  rnetInputs: number;
  onetInputs: number;
  runsMs: number[];
}

export interface CliThroughput {
  backend: string;
  images: number;
  jobs1: { seconds: number; imagesPerSecond: number };
  jobs2: { seconds: number; imagesPerSecond: number };
  ratio: number;
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

export interface BenchResults {
  machine: Machine;
  protocol: { images: string[]; options: typeof OPTIONS; warmup: number; runs: number };
  peak: PeakSamples;
  rows: Row[];
  memory?: MemoryResult & { maxRssMb: number };
  cli?: CliThroughput;
  targets: Target[];
}

export function ourRow(backend: BenchBackend, image: string, r: ImageRun, maxRssMb: number, peakGflops: number): Row {
  const m = (f: (x: ImageRun['runs'][number]) => number) => median(r.runs.map(f));
  const totalMs = m((x) => x.total);
  const flops = cascadeFlops(r.width, r.height, r.counts, OPTIONS);
  const gflops = flops.total / 1e9 / (totalMs / 1000);
  return {
    backend,
    image,
    width: r.width,
    height: r.height,
    totalMs,
    pnetMs: m((x) => x.pnet),
    rnetMs: m((x) => x.rnet),
    onetMs: m((x) => x.onet),
    postMs: m((x) => x.post),
    networkMs: m((x) => x.network.pnet + x.network.rnet + x.network.onet),
    gflop: flops.total / 1e9,
    gflops,
    efficiency: gflops / peakGflops,
    maxRssMb,
    faces: r.faces,
    rnetInputs: r.counts.pnetNms,
    onetInputs: r.counts.rnetNms,
    runsMs: r.runs.map((x) => x.total),
  };
}

export function peerRow(backend: BenchBackend, image: string, r: PeerImageRun, maxRssMb: number): Row {
  const m = (f: (x: PeerImageRun['runs'][number]) => number) => median(r.runs.map(f));
  return {
    backend,
    image,
    width: r.width,
    height: r.height,
    totalMs: m((x) => x.total),
    pnetMs: m((x) => x.stage1),
    rnetMs: m((x) => x.stage2),
    onetMs: m((x) => x.stage3),
    maxRssMb,
    faces: r.faces,
    rnetInputs: r.counts.rnetInputs,
    onetInputs: r.counts.onetInputs,
    runsMs: r.runs.map((x) => x.total),
  };
}

export function failedRow(backend: BenchBackend, image: string, error: string): Row {
  return {
    backend,
    image,
    width: 0,
    height: 0,
    error,
    totalMs: NaN,
    pnetMs: NaN,
    rnetMs: NaN,
    onetMs: NaN,
    maxRssMb: NaN,
    faces: 0,
    rnetInputs: 0,
    onetInputs: 0,
    runsMs: [],
  };
}
