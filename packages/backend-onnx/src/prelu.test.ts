import { loadWeights, NETWORKS, type MtcnnWeights } from '@mtcnn/models/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel, INPUT_NAME } from './build.js';
import { decodeModel } from './decode.js';
import { randomInput } from './random.test-util.js';
import { loadOrt } from './node-runtime.js';

let weights: MtcnnWeights;
beforeAll(async () => {
  weights = await loadWeights();
});

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
    ['rnet', [37, 3, 24, 24]],
    ['onet', [9, 3, 48, 48]],
  ] as const)('%s on %j gives exactly the outputs of the PRelu graph in onnxruntime-node', async (net, shape) => {
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
    for (const prelu of ['prelu', 'relu-sum'] as const) {
      const session = await ort.InferenceSession.create(buildOnnxModel(weights, NETWORKS[net], { prelu }), {
        graphOptimizationLevel: 'all',
        intraOpNumThreads: 2,
      });
      try {
        const out = await session.run({ [INPUT_NAME]: input });
        outputs.push(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array])));
      } finally {
        await session.release();
      }
    }
    expect(Object.keys(outputs[1])).toEqual(Object.keys(outputs[0]));
    for (const k of Object.keys(outputs[0])) expect(outputs[1][k]).toEqual(outputs[0][k]);
  });
});
