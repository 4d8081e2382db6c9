import type { MtcnnBackend } from '@mtcnn/core';
import { BACKEND_NAMES, createBackend } from '@mtcnn/backends/node';

/** Every backend the conformance suite runs against: the Node registry, in its order. */
export const BACKENDS: { name: string; create: () => Promise<MtcnnBackend> }[] = BACKEND_NAMES.map((name) => ({
  name,
  create: () => createBackend(name),
}));
