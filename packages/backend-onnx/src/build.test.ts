import { loadWeights, ONET, PNET, RNET, WEIGHTS_SHA256, type MtcnnWeights } from '@mtcnn/models/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxModel, buildOnnxModels, ONNX_IR_VERSION, ONNX_OPSET } from './build.js';
import { decodeModel } from './decode.js';

let weights: MtcnnWeights;
beforeAll(async () => {
  weights = await loadWeights();
});

type Model = ReturnType<typeof decodeModel>;
const dims = (m: Model, which: 'input' | 'output', i = 0) =>
  m.graph[which][i].type.tensorType.shape.dim.map((d) => d.dimParam || Number(d.dimValue));
const attr = (m: Model, nodeIndex: number, name: string) =>
  m.graph.node[nodeIndex].attribute.find((a) => a.name === name);
const shapeOf = (m: Model, name: string) => m.graph.initializer.find((t) => t.name === name)!.dims.map(Number);

describe('buildOnnxModels', () => {
  it('declares IR version 8 and opset 17 of the default domain only', () => {
    expect(ONNX_IR_VERSION).toBe(8);
    expect(ONNX_OPSET).toBeLessThanOrEqual(17);
    for (const bytes of Object.values(buildOnnxModels(weights))) {
      const m = decodeModel(bytes);
      expect(Number(m.irVersion)).toBe(8);
      expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
      expect(m.graph.node.every((n) => !n.domain)).toBe(true);
    }
  });

  it('gives P-Net a symbolic batch, height and width, R-Net / O-Net a symbolic batch, NCHW', () => {
    const { pnet, rnet, onet } = buildOnnxModels(weights);
    const p = decodeModel(pnet);
    expect(dims(p, 'input')).toEqual(['N', 3, 'H', 'W']);
    expect(p.graph.output.map((o) => o.name)).toEqual(['prob', 'reg']);
    expect(dims(p, 'output', 0)).toEqual(['N', 'mapH', 'mapW']);
    expect(dims(p, 'output', 1)).toEqual(['N', 'mapH', 'mapW', 4]);
    const r = decodeModel(rnet);
    expect(dims(r, 'input')).toEqual(['N', 3, 24, 24]);
    expect(r.graph.output.map((o) => o.name)).toEqual(['prob', 'reg']);
    const o = decodeModel(onet);
    expect(dims(o, 'input')).toEqual(['N', 3, 48, 48]);
    expect(o.graph.output.map((x) => x.name)).toEqual(['prob', 'reg', 'landmarks']);
    expect(dims(o, 'output', 2)).toEqual(['N', 10]);
  });

  it("faceScore 'logit': the face output is the logit itself (no Sigmoid), named logit", () => {
    for (const spec of [PNET, RNET, ONET]) {
      const m = decodeModel(buildOnnxModel(weights, spec, { faceScore: 'logit' }));
      expect(m.graph.output[0].name).toBe('logit');
      expect(m.graph.node.some((n) => n.opType === 'Sigmoid')).toBe(false);
    }
  });

  it('uses ceil-mode max pools, per-channel PReLU slopes and OIHW kernels', () => {
    for (const spec of [PNET, RNET, ONET]) {
      const m = decodeModel(buildOnnxModel(weights, spec));
      const ops = m.graph.node.map((n) => n.opType);
      expect(new Set(ops)).toEqual(
        new Set([
          'Conv',
          'PRelu',
          'MaxPool',
          'Split',
          'Sigmoid',
          'Squeeze',
          ...(spec === PNET ? ['Transpose'] : ['Transpose', 'Flatten', 'Gemm', 'Identity']),
        ]),
      );
      m.graph.node.forEach((n, i) => {
        if (n.opType === 'MaxPool') expect(Number(attr(m, i, 'ceil_mode')!.i)).toBe(1);
      });
      for (const layer of spec.trunk) {
        if (layer.kind === 'prelu') {
          const flatten = spec.trunk.findIndex((l) => l.kind === 'flatten');
          const afterFlatten = flatten >= 0 && spec.trunk.indexOf(layer) > flatten;
          expect(shapeOf(m, layer.alpha)).toEqual(afterFlatten ? [layer.channels] : [layer.channels, 1, 1]);
        }
        if (layer.kind === 'conv')
          expect(shapeOf(m, layer.weights)).toEqual([layer.outChannels, layer.inChannels, layer.kernel, layer.kernel]);
      }
    }
  });

  it('records the weights it was built from, and is deterministic', () => {
    const m = decodeModel(buildOnnxModel(weights, ONET));
    const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    expect(meta).toMatchObject({
      network: 'onet',
      weights_sha256: WEIGHTS_SHA256,
      input_layout: 'nchw',
      channel_order: 'RGB',
    });
    expect(buildOnnxModel(weights, PNET)).toEqual(buildOnnxModel(weights, PNET));
  });

  it('can take NHWC input and transpose it inside the graph', () => {
    const m = decodeModel(buildOnnxModel(weights, PNET, { inputLayout: 'nhwc' }));
    expect(dims(m, 'input')).toEqual(['N', 'H', 'W', 3]);
    expect(m.graph.node[0].opType).toBe('Transpose');
    expect(attr(m, 0, 'perm')!.ints.map(Number)).toEqual([0, 3, 1, 2]);
    expect(() => buildOnnxModel(weights, PNET, { inputLayout: 'hwc' as never })).toThrow(RangeError);
  });
});
