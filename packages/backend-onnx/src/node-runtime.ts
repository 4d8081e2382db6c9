/** Loading either ONNX Runtime in Node (the `./node` entry only: it names onnxruntime-node). */
import { MtcnnError } from '@mtcnn/core';
import { loadWebOrt, ORT_INSTALL_HINT, type Ort, type OrtRuntimeKind } from './runtime.js';

/** Imports a runtime: `onnxruntime-node` (the default) or `onnxruntime-web/wasm`. */
export async function loadOrt(kind: OrtRuntimeKind = 'node'): Promise<Ort> {
  if (kind === 'web') return loadWebOrt();
  if (kind !== 'node') {
    throw new MtcnnError('INVALID_OPTION', `Unknown ONNX Runtime "${String(kind)}"; use "node" or "web".`);
  }
  try {
    return (await import('onnxruntime-node')) as Ort;
  } catch (cause) {
    throw new MtcnnError(
      'BACKEND_FAILED',
      `Could not load ONNX Runtime (node): ${String(cause)}. ${ORT_INSTALL_HINT.node}`,
      {
        cause,
      },
    );
  }
}
