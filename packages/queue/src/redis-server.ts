// A real Redis for tests and benchmarks: Debian's redis-server on 127.0.0.1, a free port, a temp
// dir. Never a mock: the queue's guarantees (locks, stalled jobs, AOF) are Redis's behaviour.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian puts it (`apt-get install redis-server`); `REDIS_SERVER` overrides. */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServerOptions {
  /** `appendonly yes`: every write in an AOF in the temp dir, so a restart keeps the data. Default false. */
  appendonly?: boolean;
  /** `appendfsync` with `appendonly` (default `everysec`, Redis's own default). */
  appendfsync?: 'always' | 'everysec' | 'no';
}

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** The server's working directory (AOF, log). Removed by `stop()`. */
  readonly dir: string;
  /** The running process's pid (changes on `restart`). */
  readonly pid: number;
  /** Stop the process (SIGTERM: Redis flushes its AOF and exits), then start it again on the same port and dir. */
  restart(): Promise<void>;
  /** Kill the process with `signal` and wait for it to exit (no restart). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again after `kill` (same port and dir). */
  start(): Promise<void>;
  /** SIGTERM, wait for the exit, remove the dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it; another process could take it before us). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** One PING over a raw socket: true when the server answers +PONG (not while it loads its AOF). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Start `redis-server` on 127.0.0.1 with a free port and a new temp dir, and wait until it answers.
 * Throws (loudly: tests must fail, not skip) when the binary is missing. No RDB snapshots (`--save ''`).
 */
export async function startRedisServer(o: RedisServerOptions = {}): Promise<RedisServer> {
  try {
    accessSync(REDIS_SERVER_BIN, constants.X_OK);
  } catch {
    throw new Error(
      `${REDIS_SERVER_BIN} not found: the queue tests need a real Redis. ` +
        `Install it with \`apt-get install -y redis-server\` (.ci/run does).`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'mtcnn-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  let stopped = false;

  const args = (): string[] => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    o.appendonly ? 'yes' : 'no',
    '--appendfsync',
    o.appendfsync ?? 'everysec',
    '--logfile',
    join(dir, 'redis.log'),
    '--daemonize',
    'no',
  ];

  const launch = async (): Promise<void> => {
    const c = spawn(REDIS_SERVER_BIN, args(), { stdio: 'ignore' });
    child = c;
    let exitedEarly = false;
    c.once('exit', () => (exitedEarly = true));
    const t0 = Date.now();
    for (;;) {
      if (exitedEarly) throw new Error(`redis-server exited at start (port ${port}); see ${join(dir, 'redis.log')}`);
      if (await ping(port)) return;
      if (Date.now() - t0 > 30_000) {
        c.kill('SIGKILL');
        throw new Error(`redis-server did not answer on port ${port} within 30 s`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  // The free port can be taken between our probe and Redis's bind: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (e) {
      if (attempt >= 4) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  // A test process that dies must not leave servers behind.
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const c = child;
    if (!c) return;
    c.kill(signal);
    await exited(c);
    child = undefined;
  };

  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    kill,
    start: launch,
    async restart() {
      await kill('SIGTERM');
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill('SIGTERM');
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
