/**
 * Reading `.onnx` bytes back as plain data. A module of its own so that the public types (this
 * package's .d.ts) never reference `onnx-proto`'s generated types (and their `Long`).
 */
import { onnx } from './proto.js';

/** A parsed model as plain data: int64 fields as numbers, repeated fields always present. */
export interface DecodedModel {
  irVersion: number;
  opsetImport: { domain: string; version: number }[];
  producerName: string;
  docString: string;
  metadataProps: { key: string; value: string }[];
  graph: {
    name: string;
    node: {
      opType: string;
      name: string;
      domain: string;
      input: string[];
      output: string[];
      attribute: { name: string; type: number; i?: number; ints: number[]; s?: Uint8Array }[];
    }[];
    initializer: { name: string; dims: number[]; dataType: number; rawData: Uint8Array }[];
    input: DecodedValueInfo[];
    output: DecodedValueInfo[];
  };
}
export interface DecodedValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } } };
}

/** Parses `.onnx` bytes (for tests and tools that inspect what we wrote). */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  const message = onnx.ModelProto.decode(bytes);
  return onnx.ModelProto.toObject(message, { longs: Number, arrays: true, defaults: true }) as DecodedModel;
}
