export * from './errors.js';
export * from './lifecycle.js';
export * from './metrics.js';
export * from './options.js';
export * from './schemas.js';
export * from './server.js';
