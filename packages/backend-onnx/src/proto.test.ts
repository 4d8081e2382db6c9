import { describe, expect, it } from 'vitest';
import { decodeModel } from './decode.js';
import { encodeModel, floatTensor, floatValueInfo, int64Tensor, node } from './proto.js';

describe('ONNX protobuf helpers', () => {
  it('round-trip a model: IR version, opset, tensors, attributes, symbolic dims', () => {
    const bytes = encodeModel(
      {
        name: 'g',
        node: [node('MaxPool', ['x'], ['y'], { kernel_shape: [2, 2], ceil_mode: 1, auto_pad: 'NOTSET' })],
        initializer: [floatTensor('w', [2, 1], Float32Array.of(1.5, -2)), int64Tensor('axes', [1, -1])],
        input: [floatValueInfo('x', ['N', 3, 'H', 'W'])],
        output: [floatValueInfo('y', ['N', 3])],
      },
      { irVersion: 8, opsetVersion: 17, producerName: 'p', producerVersion: '1', docString: 'd', metadata: { k: 'v' } },
    );
    const m = decodeModel(bytes);
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(m.metadataProps.map((p) => [p.key, p.value])).toEqual([['k', 'v']]);
    const [w, axes] = m.graph.initializer;
    expect(new Float32Array(Uint8Array.from(w.rawData).buffer)).toEqual(Float32Array.of(1.5, -2));
    expect(Array.from(new BigInt64Array(Uint8Array.from(axes.rawData).buffer))).toEqual([1n, -1n]);
    const attrs = Object.fromEntries(m.graph.node[0].attribute.map((a) => [a.name, a]));
    expect(attrs.kernel_shape.ints.map(Number)).toEqual([2, 2]);
    expect(Number(attrs.ceil_mode.i)).toBe(1);
    expect(new TextDecoder().decode(attrs.auto_pad.s)).toBe('NOTSET');
    const dims = m.graph.input[0].type.tensorType.shape.dim.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims).toEqual(['N', 3, 'H', 'W']);
  });

  it('rejects a tensor whose data does not fill its shape, and non-integer attributes', () => {
    expect(() => floatTensor('w', [2, 2], new Float32Array(3))).toThrow(RangeError);
    expect(() => node('X', [], ['y'], { a: 0.5 })).toThrow(RangeError);
  });
});
