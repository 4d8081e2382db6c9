/**
 * The service part of `pnpm bench:serve`: `mtcnn serve` under autocannon against the in-process
 * detector on the same cores, and its RSS over many requests (issue 12's targets).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createDetector } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createBackend } from '@mtcnn/backends/node';
import { openPool } from '@mtcnn/runner';
import { REPO_DIR } from './protocol.js';

export interface ServiceOptions {
  image: string;
  /** Seconds per throughput measurement. */
  seconds: number;
  /** Each throughput measurement is taken this many times; the best counts. */
  repeat: number;
  connections: number[];
  /** Requests of the RSS run (after a warm-up of 200). */
  rssRequests: number;
  workers: number;
  log: (line: string) => void;
}

export interface LoadRow {
  connections: number;
  seconds: number;
  /** 200 answers per second. */
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  busy503: number;
  otherNon2xx: number;
  errors: number;
}

export interface ServiceResults {
  image: string;
  workers: number;
  /** One detector, all cores, detect(bytes) one after another. */
  inProcessPerSecond: number;
  /** The runner's pool without HTTP: `workers` worker threads, one core each. */
  poolPerSecond: number;
  rows: LoadRow[];
  rss?: { requests: number; startMb: number; midMb: number; endMb: number; peakMb: number; non2xx: number };
  serverStartMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** detect(bytes) on one in-process detector with every core, for `seconds`: images per second. */
async function inProcessRate(bytes: Uint8Array, seconds: number): Promise<number> {
  const detector = createDetector(await createBackend('onnx', { threads: availableParallelism() }), {
    decoder: loadImage,
  });
  try {
    for (let k = 0; k < 3; k++) await detector.detect(bytes); // warm-up
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      await detector.detect(bytes);
      n++;
    }
    return n / ((performance.now() - t0) / 1000);
  } finally {
    detector.dispose();
  }
}

/** The runner's pool (worker threads, no HTTP) kept full for `seconds`: images per second. */
async function poolRate(bytes: Uint8Array, workers: number, seconds: number): Promise<number> {
  const pool = await openPool({ workers, backend: 'onnx' });
  try {
    await Promise.all(Array.from({ length: 2 * workers }, () => pool.submit({ source: { bytes } }))); // warm-up
    let n = 0;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    const lane = async (): Promise<void> => {
      while (performance.now() < end) {
        const r = await pool.submit({ source: { bytes } });
        if ('error' in r) throw new Error(`${r.error.code}: ${r.error.message}`);
        n++;
      }
    };
    await Promise.all(Array.from({ length: 2 * workers }, lane));
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await pool.close();
  }
}

interface Server {
  base: string;
  pid: number;
  stop(): Promise<number | null>;
  startMs: number;
}

/** `mtcnn serve` as users run it (the built CLI), logging at info to /dev/null. */
async function startServer(workers: number): Promise<Server> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [join(REPO_DIR, 'packages/cli/dist/bin.js'), 'serve', '--port', '0', '--workers', String(workers)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`mtcnn serve exited (${code}): ${stderr}`)));
  });
  // Stopped (Ctrl-C, kill) mid-run: stop the server too, or it would outlive us.
  const onSignal = (signal: NodeJS.Signals): void => {
    child.kill('SIGTERM');
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    base,
    pid: child.pid!,
    startMs: performance.now() - t0,
    stop: async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function cannon(o: autocannon.Options, onResponse?: () => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(o, (err, result) => (err ? reject(err) : resolve(result)));
    if (onResponse) instance.on('response', onResponse);
  });
}

function loadRow(connections: number, r: autocannon.Result): LoadRow {
  const codes = r.statusCodeStats as unknown as Record<string, { count: number } | undefined>;
  const ok = codes['200']?.count ?? 0;
  const busy503 = codes['503']?.count ?? 0;
  return {
    connections,
    seconds: r.duration,
    okPerSecond: ok / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    ok,
    busy503,
    otherNon2xx: r.non2xx - busy503,
    errors: r.errors + r.timeouts,
  };
}

export async function measureService(o: ServiceOptions): Promise<ServiceResults> {
  const bytes = readFileSync(o.image);
  const best = async (f: () => Promise<number>): Promise<number> => {
    let b = 0;
    for (let k = 0; k < o.repeat; k++) b = Math.max(b, await f());
    return b;
  };
  o.log(`in-process detect(), one detector on ${availableParallelism()} threads...`);
  const inProcessPerSecond = await best(() => inProcessRate(bytes, o.seconds));
  o.log(`  ${inProcessPerSecond.toFixed(1)} images/s; the runner's pool, ${o.workers} workers...`);
  const poolPerSecond = await best(() => poolRate(bytes, o.workers, o.seconds));
  o.log(`  ${poolPerSecond.toFixed(1)} images/s (load ${loadavg()[0].toFixed(1)})`);

  const server = await startServer(o.workers);
  const rows: LoadRow[] = [];
  let rss: ServiceResults['rss'];
  try {
    const request = {
      url: `${server.base}/v1/detect`,
      method: 'POST' as const,
      headers: { 'content-type': 'image/jpeg' },
      body: bytes,
    };
    await cannon({ ...request, connections: 2 * o.workers, amount: 50 }); // warm-up
    for (const connections of o.connections) {
      let row: LoadRow | undefined;
      for (let k = 0; k < o.repeat; k++) {
        const r = loadRow(connections, await cannon({ ...request, connections, duration: o.seconds }));
        if (!row || r.okPerSecond > row.okPerSecond) row = r;
      }
      rows.push(row!);
      o.log(
        `  ${connections} connections: ${row!.okPerSecond.toFixed(1)} ok/s, p50 ${row!.p50Ms} ` +
          `ms, p99 ${row!.p99Ms} ms, ${row!.busy503} x 503 (load ${loadavg()[0].toFixed(1)})`,
      );
    }
    if (o.rssRequests > 0) {
      o.log(`RSS over ${o.rssRequests} requests at 8 connections...`);
      await cannon({ ...request, connections: 8, amount: 200 });
      const startMb = rssMb(server.pid);
      let done = 0;
      let midMb = Number.NaN;
      let peakMb = startMb;
      const sampler = setInterval(() => {
        peakMb = Math.max(peakMb, rssMb(server.pid));
      }, 1000);
      const r = await cannon({ ...request, connections: 8, amount: o.rssRequests }, () => {
        done++;
        if (done === Math.floor(o.rssRequests / 2)) midMb = rssMb(server.pid);
      });
      clearInterval(sampler);
      await sleep(500);
      const endMb = rssMb(server.pid);
      rss = { requests: o.rssRequests, startMb, midMb, endMb, peakMb: Math.max(peakMb, endMb), non2xx: r.non2xx };
      o.log(`  RSS ${startMb.toFixed(0)} -> ${midMb.toFixed(0)} -> ${endMb.toFixed(0)} MB (${r.non2xx} non-2xx)`);
    }
  } finally {
    const code = await server.stop();
    if (code !== 0) o.log(`mtcnn serve exited with code ${code} after SIGTERM`);
  }
  return {
    image: o.image,
    workers: o.workers,
    inProcessPerSecond,
    poolPerSecond,
    rows,
    rss,
    serverStartMs: server.startMs,
  };
}

/** The "Service" section of docs/benchmarks.md. */
export function serviceMarkdown(r: ServiceResults, machine: string, load: string): string {
  const yardstick = Math.max(r.inProcessPerSecond, r.poolPerSecond);
  const at8 = r.rows.find((x) => x.connections === 8);
  const at64 = r.rows.find((x) => x.connections === 64);
  const f = (v: number, d = 1): string => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const lines = [
    '## Service (`pnpm bench:serve`)',
    '',
    `\`mtcnn serve --workers ${r.workers}\` (onnx, default queue of ${4 * r.workers}, logs at ` +
      `info to /dev/null) on 127.0.0.1, loaded by autocannon with \`${r.image.split('/').pop()}\` ` +
      `as the raw body, each row the best of the runs; ${machine}.`,
    '',
    `**Load:** ${load}`,
    '',
    '| connections | 200 answers / s | p50 (ms) | p99 (ms) | 200s | 503s (queue ' +
      'full) | other non-2xx | errors (autocannon: 10 s timeouts, resets) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.rows.map(
      (x) =>
        `| ${x.connections} | ${f(x.okPerSecond)} | ${x.p50Ms} | ${x.p99Ms} ` +
        `| ${x.ok} | ${x.busy503} | ${x.otherNon2xx} | ${x.errors} |`,
    ),
    '',
    `In-process, same image, same cores: one detector on all ${r.workers} cores calling \`detect(bytes)\` ` +
      `in turn: ${f(r.inProcessPerSecond)} images/s; the runner's pool (${r.workers} worker threads, one ` +
      `core each, no HTTP): ${f(r.poolPerSecond)} images/s. The yardstick is the better of the two.`,
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
  ];
  if (at8)
    lines.push(
      `| 8 connections >= 0.9 x in-process throughput | ${f(at8.okPerSecond)} / ${f(yardstick)} ` +
        `= ${f(at8.okPerSecond / yardstick, 2)} | ${at8.okPerSecond >= 0.9 * yardstick ? 'yes' : 'no'} |`,
    );
  if (at64) {
    // Queue-bounded: a request waits behind at most queue + workers others, served at the measured
    // rate, so (Little's law) its latency stays near (queue + workers) / throughput. Unbounded
    // queueing would grow with the 64 connections instead.
    const queue = 4 * r.workers;
    const bound = ((queue + r.workers) / Math.max(at64.okPerSecond, 1e-9)) * 1000;
    lines.push(
      `| p99 at 64 connections bounded by the queue (503s, not unbounded latency): p99 <= ` +
        `1.25 x (queue + workers) / (200 answers/s) | p99 ${at64.p99Ms} ms vs (${queue} ` +
        `+ ${r.workers}) / ${f(at64.okPerSecond)} = ${f(bound, 0)} ms; ${at64.busy503} x ` +
        `503 | ${at64.busy503 > 0 && at64.p99Ms <= 1.25 * bound ? 'yes' : 'no'} |`,
    );
  }
  if (r.rss)
    lines.push(
      `| RSS growth < 20 MB over ${r.rss.requests} requests | ${f(r.rss.startMb, 0)} ` +
        `-> ${f(r.rss.midMb, 0)} (half-way) -> ${f(r.rss.endMb, 0)} MB: ${f(r.rss.endMb - r.rss.startMb)} ` +
        `MB (peak ${f(r.rss.peakMb, 0)}) | ${r.rss.endMb - r.rss.startMb < 20 ? 'yes' : 'no'} |`,
    );
  lines.push(
    '',
    `The server started (${r.workers} onnx workers loaded) in ${f(r.serverStartMs / 1000)} s. RSS is ` +
      `the whole server process (the workers are threads in it), after a warm-up of 200 requests.`,
  );
  return lines.join('\n');
}
