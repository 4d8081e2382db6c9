import type { MtcnnBackend } from '@mtcnn/core';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs';

/** Every backend the conformance suite runs against, by CLI name. */
export const BACKENDS: { name: string; create: () => Promise<MtcnnBackend> }[] = [
  { name: 'tfjs-wasm', create: () => createNodeTfjsBackend({ backend: 'wasm' }) },
  { name: 'tfjs-cpu', create: () => createNodeTfjsBackend({ backend: 'cpu' }) },
];
