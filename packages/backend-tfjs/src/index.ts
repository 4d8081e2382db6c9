/** The default (browser-safe) entry; `node.ts` adds the Node convenience constructor. */
export * from './backend.js';
export * from './compile.js';
export * from './crops.js';
export * from './forward.js';
export * from './pool.js';
export type * from './tf.js';
