import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createThreadPool, type ThreadPool } from './thread-pool.js';

// The fixture thread runs the built serveThread (threads load JavaScript); this side runs src/.
const FIXTURE = new URL('./pool-fixture.test-util.mjs', import.meta.url);

function pool(mode: string, threads: number) {
  const shared = new SharedArrayBuffer(16);
  const counters = new Int32Array(shared);
  return {
    counters,
    create: () => createThreadPool({ url: FIXTURE, workerData: { mode, shared }, threads, name: 'fixture' }),
  };
}

type Echo = { data: Float32Array; index: number };
const echo = (p: ThreadPool, value: number, ms = 0): Promise<Echo> => {
  const data = Float32Array.of(value);
  return p.send<Echo>({ op: 'echo', data, ms }, [data.buffer]);
};

describe('createThreadPool', () => {
  it('runs every request once, on both threads, and reports the started state', async () => {
    const { create, counters } = pool('echo', 2);
    const p = await create();
    expect(p.size).toBe(2);
    expect(p.info).toMatchObject({ name: 'fixture' });
    const got = await Promise.all(Array.from({ length: 12 }, (_, k) => echo(p, k, 5)));
    expect(got.map((g) => g.data[0])).toEqual(Array.from({ length: 12 }, (_, k) => k));
    expect(new Set(got.map((g) => g.index))).toEqual(new Set([0, 1]));
    expect(counters[3]).toBe(12);
    await p.dispose();
    expect(counters[1]).toBe(2); // each thread released its state
  });

  it("keeps a thread's error: its code as MtcnnError, RangeError as is, others as BACKEND_FAILED", async () => {
    const { create } = pool('echo', 1);
    const p = await create();
    await expect(p.send({ op: 'throw', code: 'INVALID_IMAGE' })).rejects.toMatchObject({
      name: 'MtcnnError',
      code: 'INVALID_IMAGE',
    });
    await expect(p.send({ op: 'throw', range: true })).rejects.toThrow(RangeError);
    await expect(p.send({ op: 'throw' })).rejects.toMatchObject({
      code: 'BACKEND_FAILED',
      message: 'fixture: it broke',
    });
    expect((await echo(p, 7)).data[0]).toBe(7); // the thread serves on
    await p.dispose();
  });

  it('a thread that dies fails its run with BACKEND_FAILED; the others serve on; then none is left', async () => {
    const { create } = pool('echo', 2);
    const p = await create();
    await expect(p.send({ op: 'exit' })).rejects.toMatchObject({
      code: 'BACKEND_FAILED',
      message: expect.stringContaining('exited (code 3)'),
    });
    expect((await echo(p, 1)).data[0]).toBe(1);
    await expect(p.send({ op: 'exit' })).rejects.toMatchObject({ code: 'BACKEND_FAILED' });
    await expect(echo(p, 2)).rejects.toMatchObject({
      message: 'fixture: its threads have exited; create a new backend.',
    });
    await p.dispose();
  });

  it('a thread that fails to start rejects the pool with BACKEND_FAILED and its message', async () => {
    const { create } = pool('fail-start', 2);
    await expect(create()).rejects.toMatchObject({
      code: 'BACKEND_FAILED',
      message: 'A fixture thread could not start: Error: no runtime here',
    });
  });

  it('when one thread fails to start, the others finish starting, release their state and exit', async () => {
    const { create, counters } = pool('first-fails', 3);
    await expect(create()).rejects.toMatchObject({ message: expect.stringContaining('first thread fails') });
    // Resolved only once every thread has exited: the two that started have stopped.
    expect(counters[0]).toBe(3);
    expect(counters[1]).toBe(2);
  });

  it('dispose rejects what waits with DISPOSED at once, and lets the run in progress finish first', async () => {
    const { create, counters } = pool('echo', 1);
    const p = await create();
    const running = echo(p, 1, 300).catch((e: unknown) => e);
    const queued = echo(p, 2).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50)); // the first run has started in the thread
    const closed = p.dispose();
    expect(await running).toMatchObject({ code: 'DISPOSED' });
    expect(await queued).toMatchObject({ code: 'DISPOSED' });
    await expect(echo(p, 3)).rejects.toMatchObject({ code: 'DISPOSED' });
    await closed;
    expect(p.dispose()).toBe(closed); // idempotent
    // The thread released its state after its run had finished, not in the middle of it.
    expect(counters[1]).toBe(1);
    expect(counters[2]).toBe(1);
  });
});

describe('a pool and the process', () => {
  // A script file, not `--input-type=module -e`: threads inherit the process's flags.
  const run = (script: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-'));
    try {
      writeFileSync(join(dir, 'main.mjs'), script);
      return spawnSync(process.execPath, [join(dir, 'main.mjs')], { encoding: 'utf8', timeout: 60_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const poolModule = new URL('../../../dist/backend-kit/node/thread-pool.js', import.meta.url).href;
  const setup = `
    import { createThreadPool } from ${JSON.stringify(poolModule)};
    const pool = await createThreadPool({
      url: new URL(${JSON.stringify(FIXTURE.href)}),
      workerData: { mode: 'echo', shared: new SharedArrayBuffer(16) },
      threads: 2,
      name: 'fixture',
    });`;

  it('an idle pool does not keep the process alive: a forgotten dispose() does not hang it', () => {
    const r = run(`${setup}
      const out = await pool.send({ op: 'echo', data: Float32Array.of(5) });
      console.log('got', out.data[0]);`);
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('got 5\n');
  });

  it('a busy pool does: a run nobody awaits still completes before the process exits', () => {
    const r = run(`${setup}
      pool.send({ op: 'echo', data: Float32Array.of(6), ms: 200 }).then((out) => console.log('got', out.data[0]));`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('got 6\n');
  });
});
