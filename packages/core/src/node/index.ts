export * from './decode.js';
export * from './thread-pool.js';
