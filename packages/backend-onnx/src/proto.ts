/**
 * Small constructors for the ONNX protobuf messages we emit, on the generated schema from the npm
 * package `onnx-proto` (ONNX 1.10 schema, which knows IR version 8). Nothing here knows MTCNN.
 */
import onnxProto from 'onnx-proto';
import type { AttributeValue, Dim } from './graph-types.js';

// onnx-proto is CommonJS (`module.exports = { onnx }`): take the namespace off the default import.
export const { onnx } = onnxProto;
type I = typeof import('onnx-proto').onnx;
type INode = import('onnx-proto').onnx.INodeProto;
type ITensor = import('onnx-proto').onnx.ITensorProto;
type IValueInfo = import('onnx-proto').onnx.IValueInfoProto;
type IAttribute = import('onnx-proto').onnx.IAttributeProto;
type IModel = import('onnx-proto').onnx.IModelProto;
type IGraph = import('onnx-proto').onnx.IGraphProto;

const DataType: I['TensorProto']['DataType'] = onnx.TensorProto.DataType;
const AttributeType: I['AttributeProto']['AttributeType'] = onnx.AttributeProto.AttributeType;

export type { AttributeValue, Dim } from './graph-types.js';

/** Float32 initializer as little-endian raw bytes (the compact encoding; every runtime reads it). */
export function floatTensor(name: string, shape: readonly number[], data: Float32Array): ITensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new RangeError(`${name}: shape [${shape}] holds ${size} values, got ${data.length}`);
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return { name, dims: [...shape], dataType: DataType.FLOAT, rawData: bytes };
}

/** Int64 initializer (shape-like operands such as Split's `split` or Squeeze's `axes`). */
export function int64Tensor(name: string, values: readonly number[]): ITensor {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    view.setBigInt64(i * 8, BigInt(v), true);
  });
  return { name, dims: [values.length], dataType: DataType.INT64, rawData: bytes };
}

function attribute(name: string, value: AttributeValue): IAttribute {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'object' && 'float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  const ints = typeof value === 'number' ? [value] : value;
  if (!ints.every(Number.isInteger)) throw new RangeError(`Attribute ${name}: expected integers, got ${String(value)}`);
  return typeof value === 'number'
    ? { name, type: AttributeType.INT, i: value }
    : { name, type: AttributeType.INTS, ints: [...value] };
}

export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attrs: Record<string, AttributeValue> = {},
  name?: string,
): INode {
  return {
    opType,
    name: name ?? outputs[0],
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

/** A float32 graph input or output with (possibly symbolic) dimensions. */
export function floatValueInfo(name: string, dims: readonly Dim[], docString?: string): IValueInfo {
  return {
    name,
    docString: docString ?? '',
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface ModelInfo {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  /** Free-form key/value pairs readers can show (`metadata_props`). */
  metadata: Record<string, string>;
}

/** Serialises a graph into the bytes of a `.onnx` file. */
export function encodeModel(graph: IGraph, info: ModelInfo): Uint8Array {
  const model: IModel = {
    irVersion: info.irVersion,
    opsetImport: [{ domain: '', version: info.opsetVersion }],
    producerName: info.producerName,
    producerVersion: info.producerVersion,
    docString: info.docString,
    graph,
    metadataProps: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}
