/**
 * The machine's peak, as a yardstick: GFLOP/s of one 1024 x 1024 x 1024 float32 MatMul in
 * onnxruntime-node on all cores (MLAS's best-tuned kernel, so the realistic ceiling for any
 * network on this CPU). The graph is written with `onnx-proto`, like the backend's own graphs.
 */
import { availableParallelism } from 'node:os';
import onnxProto from 'onnx-proto';
import { median } from './stats.js';

const { onnx } = onnxProto;
export const MATMUL_N = 1024;

function matmulModel(n: number): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const info = (name: string) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: n }, { dimValue: n }] } } },
  });
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: '@mtcnn/bench',
    graph: {
      name: 'matmul',
      node: [{ opType: 'MatMul', name: 'mm', input: ['a', 'b'], output: ['c'] }],
      input: [info('a'), info('b')],
      output: [info('c')],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

export interface Peak {
  /** GFLOP/s of the median run: the figure efficiencies divide by. */
  gflops: number;
  /** GFLOP/s of the fastest run. */
  bestGflops: number;
  threads: number;
  runs: number;
}

export async function measurePeak(runs = 30): Promise<Peak> {
  const ort = await import('onnxruntime-node');
  const n = MATMUL_N;
  const threads = availableParallelism();
  const session = await ort.InferenceSession.create(matmulModel(n), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const a = new Float32Array(n * n);
  const b = new Float32Array(n * n);
  for (let i = 0; i < a.length; i++) {
    a[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    b[i] = ((i * 104729) % 1000) / 1000 - 0.5;
  }
  const feeds = { a: new ort.Tensor('float32', a, [n, n]), b: new ort.Tensor('float32', b, [n, n]) };
  for (let i = 0; i < 5; i++) await session.run(feeds);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    ms.push(performance.now() - t0);
  }
  await session.release();
  const flops = 2 * n * n * n;
  return { gflops: flops / median(ms) / 1e6, bestGflops: flops / Math.min(...ms) / 1e6, threads, runs };
}
