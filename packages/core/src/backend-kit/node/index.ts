/**
 * `@mtcnn/core/backend-kit/node`: any backend on worker threads (Node only), and the thread pool
 * under it.
 *
 * @packageDocumentation
 */
export {
  builtModule,
  createThreadedBackend,
  type ThreadedBackend,
  type ThreadedBackendOptions,
  type ThreadRun,
} from './threaded-backend.js';
export {
  createThreadPool,
  serveThread,
  type ServeThreadOptions,
  type ThreadPool,
  type ThreadPoolOptions,
} from './thread-pool.js';
