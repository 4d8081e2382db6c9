/**
 * One measurement in a fresh process, so each row's peak RSS is its own and no runtime's global
 * state (tfjs's engine, ONNX Runtime's thread pools) leaks into the next. Started by bench.ts and
 * soak.ts with one task as JSON; answers with one message on the IPC channel.
 */
import { measureMemory, type MemoryTask } from './memory.js';
import { runOurs } from './ours.js';
import { measurePeak } from './peak.js';
import { runPeer } from './peer.js';
import type { OurBackend, PeerBackend } from './protocol.js';

export type Task =
  | { type: 'ours'; backend: OurBackend; file: string; runs: number; warmup: number }
  | { type: 'peer'; backend: PeerBackend; file: string; runs: number; warmup: number }
  | { type: 'peak'; runs: number }
  | MemoryTask;

export interface ChildAnswer<T = unknown> {
  ok: boolean;
  result?: T;
  error?: string;
  /** Peak resident set size of this process, MB. */
  maxRssMb: number;
}

async function run(task: Task): Promise<unknown> {
  switch (task.type) {
    case 'ours':
      return runOurs(task.backend, task.file, task.runs, task.warmup);
    case 'peer':
      return runPeer(task.backend, task.file, task.runs, task.warmup);
    case 'peak':
      return measurePeak(task.runs);
    case 'memory':
      return measureMemory(task);
  }
}

const send = (m: ChildAnswer): Promise<void> => new Promise((resolve) => process.send!(m, () => resolve()));
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

if (!process.send) throw new Error('child.js is started by the bench with an IPC channel.');
try {
  const result = await run(JSON.parse(process.argv[2]) as Task);
  await send({ ok: true, result, maxRssMb: maxRssMb() });
} catch (e) {
  await send({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e), maxRssMb: maxRssMb() });
}
// ONNX Runtime's and tfjs's thread pools can keep the event loop alive.
process.exit(0);
