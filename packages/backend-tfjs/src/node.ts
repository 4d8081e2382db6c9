/**
 * The package's `./node` entry: everything from index.ts plus `createNodeTfjsBackend`, which uses
 * Node's worker threads and reads the weights from disk.
 */
export * from './index.js';
export * from './node-backend.js';
