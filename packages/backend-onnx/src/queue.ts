/**
 * One run at a time per ONNX Runtime instance. onnxruntime-web keeps one WebAssembly instance for
 * all its sessions and breaks on overlapping runs (measured: "Cannot read properties of null");
 * onnxruntime-node allows them, but each run already uses every core, so queueing costs nothing.
 */
const tails = new WeakMap<object, Promise<unknown>>();

/** Runs `task` once every task queued before it on `key` has settled (fulfilled or rejected). */
export function enqueue<T>(key: object, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  tails.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}
