/**
 * `@mtcnn/core/backend-kit/node`: worker threads serving a backend's network runs (Node only).
 *
 * @packageDocumentation
 */
export { createThreadPool, serveThread, type ThreadPool, type ThreadPoolOptions } from './thread-pool.js';
