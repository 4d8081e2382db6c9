/** The package's `node` entry: everything from index.ts plus `createNodeOnnxBackend`. */
export * from './index.js';
export * from './node-backend.js';
