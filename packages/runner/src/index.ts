export * from './detect-image.js';
export * from './entry.js';
export * from './limits.js';
export * from './pool.js';
export * from './protocol.js';
export * from './report-html.js';
export * from './run-tasks.js';
export * from './serve-worker.js';
