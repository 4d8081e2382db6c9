/**
 * The machine's peak, as a yardstick: GFLOP/s of a 1024 x 1024 x 1024 float32 MatMul in
 * onnxruntime-node on all cores, with B a constant initializer, as network weights are (MLAS packs
 * a constant B once, at session creation: the fastest form of its best-tuned kernel). The figure
 * is the best of many runs: what the hardware can do, not what a shared machine gave on average
 * (a noisy median would flatter every ratio against it). The graph is written with `onnx-proto`,
 * like the backend's own graphs.
 */
import { availableParallelism } from 'node:os';
import onnxProto from 'onnx-proto';
import { median } from './stats.js';

const { onnx } = onnxProto;
export const MATMUL_N = 1024;

/** Deterministic values in [-0.5, 0.5). */
function values(n: number, prime: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = ((i * prime) % 1000) / 1000 - 0.5;
  return v;
}

/** `c = a @ b` with `b` an initializer (constant). */
export function matmulModel(n: number): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const info = (name: string) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: n }, { dimValue: n }] } } },
  });
  const b = values(n * n, 104729);
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: '@mtcnn/bench',
    graph: {
      name: 'matmul',
      node: [{ opType: 'MatMul', name: 'mm', input: ['a', 'b'], output: ['c'] }],
      initializer: [
        { name: 'b', dims: [n, n], dataType: FLOAT, rawData: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) },
      ],
      input: [info('a')],
      output: [info('c')],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

export interface Peak {
  /** GFLOP/s of the fastest run: the yardstick. */
  gflops: number;
  /** GFLOP/s of the median run (for reference: how much the machine's load moved it). */
  medianGflops: number;
  threads: number;
  runs: number;
}

export async function measurePeak(runs = 50): Promise<Peak> {
  const ort = await import('onnxruntime-node');
  const n = MATMUL_N;
  const threads = availableParallelism();
  const session = await ort.InferenceSession.create(matmulModel(n), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const feeds = { a: new ort.Tensor('float32', values(n * n, 7919), [n, n]) };
  for (let i = 0; i < 5; i++) await session.run(feeds);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    ms.push(performance.now() - t0);
  }
  await session.release();
  const flops = 2 * n * n * n;
  return { gflops: flops / Math.min(...ms) / 1e6, medianGflops: flops / median(ms) / 1e6, threads, runs };
}

/**
 * Several peak measurements taken through a run: the yardstick is the best, the spread says how steady the machine was.
 */
export interface PeakSamples {
  samples: Peak[];
  /** Best of every sample's best run. */
  gflops: number;
}

export function combinePeaks(samples: readonly Peak[]): PeakSamples {
  return { samples: [...samples], gflops: Math.max(...samples.map((p) => p.gflops)) || NaN };
}
