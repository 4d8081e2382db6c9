/** Loading either ONNX Runtime in Node (the `./node` entry only: it names onnxruntime-node). */
import { MtcnnError } from '@mtcnn/core';
import { importOrt, loadWebOrt, type Ort, type OrtRuntimeKind } from './runtime.js';

/** Imports a runtime: `onnxruntime-node` (the default) or `onnxruntime-web/wasm`. */
export async function loadOrt(kind: OrtRuntimeKind = 'node'): Promise<Ort> {
  if (kind === 'web') return loadWebOrt();
  if (kind !== 'node') {
    throw new MtcnnError('INVALID_OPTION', `Unknown ONNX Runtime "${String(kind)}"; use "node" or "web".`);
  }
  return importOrt('node', () => import('onnxruntime-node'));
}
