export * from './backend.js';
export * from './compile.js';
export * from './crops.js';
export * from './forward.js';
export * from './node-backend.js';
export * from './pool.js';
export type * from './tf.js';
