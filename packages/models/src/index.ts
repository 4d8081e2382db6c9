/** The default (browser-safe) entry; `node.ts` adds disk loading. */
export * from './architecture.js';
export * from './layout.js';
export * from './manifest.js';
export * from './url.js';
export * from './weights.js';
