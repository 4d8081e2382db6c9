import { fork } from 'node:child_process';
import type { ChildAnswer, Task } from './child.js';

const CHILD = new URL('./child.js', import.meta.url);

/** Runs one task in a fresh Node process (child.ts) and resolves with its answer. */
export function runTask<T>(task: Task): Promise<ChildAnswer<T>> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: [] });
    child.stdout!.pipe(process.stderr); // keep our stdout for --json
    let answer: ChildAnswer<T> | undefined;
    child.on('message', (m) => (answer = m as ChildAnswer<T>));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer) resolve(answer);
      else resolve({ ok: false, error: `child exited (code ${code}, signal ${signal}) without an answer`, maxRssMb: NaN });
    });
  });
}
