import { loadWeights, NETWORKS, type MtcnnWeights } from '@mtcnn/models/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel, INPUT_NAME } from './build.js';
import { poolFirstFits } from './prelu.js';
import { decodeModel } from './decode.js';
import { maxAbsDiff, randomInput } from './random.test-util.js';
import { loadOrt } from './node-runtime.js';

let weights: MtcnnWeights;
beforeAll(async () => {
  weights = await loadWeights();
});

type OrtTensor = InstanceType<Awaited<ReturnType<typeof loadOrt>>['Tensor']>;

/** One run of `model` in onnxruntime-node (2 threads, all graph optimisations): its outputs' data. */
async function runOnce(model: Uint8Array, input: OrtTensor): Promise<Record<string, Float32Array>> {
  const ort = await loadOrt('node');
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 2 });
  try {
    const out = await session.run({ [INPUT_NAME]: input });
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await session.release();
  }
}

describe("PReLU as Relu(x) + (-a) * Relu(-x) ('relu-sum')", () => {
  it('has no PRelu node', () => {
    for (const spec of Object.values(NETWORKS)) {
      const ops = decodeModel(buildOnnxModel(weights, spec, { prelu: 'relu-sum' })).graph.node.map((n) => n.opType);
      expect(ops).not.toContain('PRelu');
    }
  });

  // Bit for bit, not within a tolerance: the rewrite must not move any face.
  it.each([
    ['pnet', [1, 3, 67, 93]],
    ['pnet', [1, 3, 12, 12]],
    ['pnet', [2, 3, 131, 258]],
    ['rnet', [37, 3, 24, 24]],
    ['onet', [9, 3, 48, 48]],
  ] as const)(
    '%s on %j gives exactly the outputs of the PRelu graph in onnxruntime-node, in both forms',
    async (net, shape) => {
      const ort = await loadOrt('node');
      const input = new ort.Tensor(
        'float32',
        randomInput(
          shape[0] * 7 + shape[2],
          shape.reduce((a: number, b: number) => a * b, 1),
        ),
        [...shape],
      );
      const outputs = [];
      for (const prelu of ['prelu', 'relu-sum', 'pool-first'] as const) {
        // Padded to 16 lanes as the backend runs them ('pool-first' needs the padding lanes).
        outputs.push(await runOnce(buildOnnxModel(weights, NETWORKS[net], { prelu, padChannels: 16 }), input));
      }
      for (const other of outputs.slice(1)) {
        expect(Object.keys(other)).toEqual(Object.keys(outputs[0]));
        for (const k of Object.keys(outputs[0])) expect(other[k]).toEqual(outputs[0][k]);
      }
    },
  );
});

describe('channels padded to 16 lanes (padChannels)', () => {
  // Not bit for bit: the blocked convolutions sum in another order (docs of padChannels).
  it.each([
    ['pnet', [1, 3, 67, 93]],
    ['rnet', [5, 3, 24, 24]],
    ['onet', [3, 3, 48, 48]],
  ] as const)('%s on %j stays within 1e-5 of the unpadded graph', async (net, shape) => {
    const ort = await loadOrt('node');
    const size = shape.reduce((a: number, b: number) => a * b, 1);
    const input = new ort.Tensor('float32', randomInput(size, size), [...shape]);
    const outputs: Record<string, Float32Array>[] = [];
    for (const padChannels of [1, 16])
      outputs.push(await runOnce(buildOnnxModel(weights, NETWORKS[net], { padChannels }), input));
    for (const k of Object.keys(outputs[0])) expect(maxAbsDiff(outputs[1][k], outputs[0][k])).toBeLessThan(1e-5);
  });
});

describe("PReLU after the max-pool ('pool-first')", () => {
  const ops = (net: keyof typeof NETWORKS) =>
    decodeModel(buildOnnxModel(weights, NETWORKS[net], { prelu: 'pool-first', padChannels: 16 })).graph.node.map(
      (n) => n.opType,
    );

  it("moves P-Net's first PReLU (6 negated channels fit in 16 lanes) and no other", () => {
    // P-Net: conv -> PReLU -> pool becomes conv -> pool -> Max / Min; its two later PReLUs have no pool after them.
    expect(ops('pnet').filter((op) => op === 'Max')).toHaveLength(1);
    expect(ops('pnet').indexOf('MaxPool')).toBeLessThan(ops('pnet').indexOf('Max'));
    // R-Net and O-Net layers would need wider convolutions: the relu-sum form stays.
    expect(ops('rnet')).not.toContain('Max');
    expect(ops('onet')).not.toContain('Max');
  });

  it('fits only where the negated channels fit in the padding', () => {
    expect(poolFirstFits(Float32Array.of(1, -1, 0.5), 4)).toBe(true); // 3 + 1 lanes
    expect(poolFirstFits(Float32Array.of(1, -1, -0.5), 4)).toBe(false); // 3 + 2 lanes
    expect(poolFirstFits(Float32Array.of(0, 0.25), 1)).toBe(true); // no negative slope: nothing to add
    expect(poolFirstFits(weights.get('pnet/prelu1_alpha').data, 16)).toBe(true);
    expect(poolFirstFits(weights.get('rnet/prelu1_alpha').data, 16)).toBe(false);
  });
});
