/**
 * Measurements in fresh processes, so each row's peak RSS is its own and no runtime's global state
 * (tfjs's engine, ONNX Runtime's thread pools) leaks into the next. Started by spawn.ts with one
 * task as JSON on the command line, answering on the IPC channel:
 * - `peak`, `memory`: run once, answer once, exit;
 * - `serve`: prepare one backend on one decoded image, then time one detection per `run` request
 *   (the bench interleaves the runs of all backends, so load from elsewhere falls on all alike),
 *   and answer `end` with what the last run found and the process's peak RSS.
 */
import { measureMemory, type MemoryTask } from './memory.js';
import { prepareOurs, type Runner } from './ours.js';
import { measurePeak } from './peak.js';
import { preparePeer } from './peer.js';
import { OUR_BACKENDS, type BenchBackend, type OurBackend, type PeerBackend } from './protocol.js';

export type Task = { type: 'peak'; runs: number } | MemoryTask | { type: 'serve'; backend: BenchBackend; file: string };

/** `run` with `warm`: an untimed detection first, so the timed one starts from warm caches. */
export type ToChild = { op: 'run'; warm?: boolean } | { op: 'end' };
export type FromChild =
  | { type: 'ready' }
  | { type: 'run'; ms: unknown }
  | { type: 'end'; info: unknown; maxRssMb: number }
  | { type: 'result'; result: unknown; maxRssMb: number }
  | { type: 'error'; error: string; maxRssMb: number };

const send = (m: FromChild): Promise<void> => new Promise((resolve) => process.send!(m, () => resolve()));
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;
const message = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

async function serve(backend: BenchBackend, file: string): Promise<void> {
  const runner: Runner<unknown, unknown> = (OUR_BACKENDS as readonly string[]).includes(backend)
    ? await prepareOurs(backend as OurBackend, file)
    : await preparePeer(backend as PeerBackend, file);
  await send({ type: 'ready' });
  await new Promise<void>((done) => {
    process.on('message', (m: ToChild) => {
      void (async () => {
        try {
          if (m.op === 'run') {
            if (m.warm) await runner.run();
            await send({ type: 'run', ms: await runner.run() });
          } else {
            const info = runner.info();
            runner.dispose();
            await send({ type: 'end', info, maxRssMb: maxRssMb() });
            done();
          }
        } catch (e) {
          await send({ type: 'error', error: message(e), maxRssMb: maxRssMb() });
          done();
        }
      })();
    });
  });
}

if (!process.send) throw new Error('child.js is started by the bench with an IPC channel.');
try {
  const task = JSON.parse(process.argv[2]) as Task;
  if (task.type === 'serve') await serve(task.backend, task.file);
  else
    await send({
      type: 'result',
      result: task.type === 'peak' ? await measurePeak(task.runs) : await measureMemory(task),
      maxRssMb: maxRssMb(),
    });
} catch (e) {
  await send({ type: 'error', error: message(e), maxRssMb: maxRssMb() });
}
// ONNX Runtime's and tfjs's thread pools can keep the event loop alive.
process.exit(0);
