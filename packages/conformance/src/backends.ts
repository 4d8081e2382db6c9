import type { MtcnnBackend } from '@mtcnn/core';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';

/** Every backend the conformance suite runs against, by CLI name. */
export const BACKENDS: { name: string; create: () => Promise<MtcnnBackend> }[] = [
  { name: 'tfjs-wasm', create: () => createNodeTfjsBackend({ backend: 'wasm' }) },
  { name: 'tfjs-cpu', create: () => createNodeTfjsBackend({ backend: 'cpu' }) },
  { name: 'onnx', create: () => createNodeOnnxBackend({ runtime: 'node' }) },
  { name: 'onnx-wasm', create: () => createNodeOnnxBackend({ runtime: 'wasm' }) },
];
