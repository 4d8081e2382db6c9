import { fork, type ChildProcess } from 'node:child_process';
import type { FromChild, Task, ToChild } from './child.js';

const CHILD = new URL('./child.js', import.meta.url);

export interface ChildAnswer<T> {
  ok: boolean;
  result?: T;
  error?: string;
  /** Peak resident set size of the child process, MB. */
  maxRssMb: number;
}

function start(task: Task): { child: ChildProcess; next(): Promise<FromChild> } {
  const child = fork(CHILD, [JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: [] });
  child.stdout!.pipe(process.stderr); // keep our stdout for --json
  const queue: FromChild[] = [];
  const waiting: ((m: FromChild) => void)[] = [];
  const push = (m: FromChild): void => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  };
  child.on('message', (m) => push(m as FromChild));
  child.on('exit', (code, signal) =>
    push({ type: 'error', error: `child exited (code ${code}, signal ${signal})`, maxRssMb: NaN }),
  );
  child.on('error', (e) => push({ type: 'error', error: String(e), maxRssMb: NaN }));
  return {
    child,
    next: () => new Promise((resolve) => (queue.length ? resolve(queue.shift()!) : waiting.push(resolve))),
  };
}

/** Runs a one-shot task (`peak`, `memory`) in a fresh Node process. */
export async function runTask<T>(task: Task): Promise<ChildAnswer<T>> {
  const { next } = start(task);
  const m = await next();
  if (m.type === 'result') return { ok: true, result: m.result as T, maxRssMb: m.maxRssMb };
  return {
    ok: false,
    error: m.type === 'error' ? m.error : `unexpected ${m.type}`,
    maxRssMb: m.type === 'error' ? m.maxRssMb : NaN,
  };
}

/** A backend prepared on one image in its own process; `run()` times one detection there. */
export interface Served<R, I> {
  /** `warm`: the process first runs an untimed detection. */
  run(warm?: boolean): Promise<R>;
  end(): Promise<ChildAnswer<I>>;
}

export async function serve<R, I>(task: Extract<Task, { type: 'serve' }>): Promise<Served<R, I> | { error: string }> {
  const { child, next } = start(task);
  const ready = await next();
  if (ready.type !== 'ready') return { error: ready.type === 'error' ? ready.error : `unexpected ${ready.type}` };
  const ask = async (m: ToChild): Promise<FromChild> => {
    child.send(m);
    return next();
  };
  return {
    async run(warm = false) {
      const m = await ask({ op: 'run', warm });
      if (m.type !== 'run') throw new Error(m.type === 'error' ? m.error : `unexpected ${m.type}`);
      return m.ms as R;
    },
    async end() {
      const m = await ask({ op: 'end' });
      return m.type === 'end'
        ? { ok: true, result: m.info as I, maxRssMb: m.maxRssMb }
        : { ok: false, error: m.type === 'error' ? m.error : `unexpected ${m.type}`, maxRssMb: NaN };
    },
  };
}
