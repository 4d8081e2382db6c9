/**
 * The fixed benchmark protocol (issue 5): three images of ../shared, default detector options,
 * images decoded before timing, one warm-up run, then the median of `runs` timed runs.
 */
import { fileURLToPath } from 'node:url';
import type { BackendName } from '@mtcnn/backends/node';

/** `../shared` beside the repository (the bench runs from packages/bench/dist). */
export const SHARED_DIR = fileURLToPath(new URL('../../../../shared/', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));

export const IMAGES = [
  'images/dev/bbt4_640x480.jpg',
  'images/dev/bbt1_1920x1080.jpg',
  'images/dev/multiface.jpg',
] as const;

/** The defaults of `@mtcnn/core` spelled out, so the peer gets exactly the same. */
export const OPTIONS = { minFaceSize: 20, scaleFactor: 0.709, thresholds: [0.6, 0.7, 0.7] as [number, number, number] };

export const WARMUP = 1;
/** Detections shorter than this (ms, in the warm-up round) get an untimed detection right before each timed one. */
export const WARM_VISIT_MS = 3000;
export const RUNS = 5;

/** Our backends (names of the Node registry, @mtcnn/backends/node), in the tables' order. */
export const OUR_BACKENDS = ['onnx', 'onnx-wasm', 'tfjs-wasm', 'tfjs-cpu'] as const satisfies readonly BackendName[];
export const PEER_BACKENDS = ['peer-tfjs-wasm', 'peer-tfjs-cpu'] as const;
export type OurBackend = (typeof OUR_BACKENDS)[number];
export type PeerBackend = (typeof PEER_BACKENDS)[number];
export type BenchBackend = OurBackend | PeerBackend;
