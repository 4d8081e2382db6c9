/**
 * The package's `./node` entry: everything from index.ts plus `createNodeOnnxBackend` and
 * `loadOrt`, which may import onnxruntime-node (a Node addon: never in a browser bundle).
 */
export * from './index.js';
export * from './node-backend.js';
export * from './node-runtime.js';
