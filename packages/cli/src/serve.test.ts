// `mtcnn serve` as users run it: the built CLI in a child process on 127.0.0.1, a free port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const DEV = join(ROOT, '../shared/images/dev');
const available = existsSync(DEV);
if (!available)
  console.warn(`\n!!! SKIPPED the mtcnn serve tests: ${DEV} not found. Put ../shared beside the repository. !!!\n`);

interface Served {
  child: ChildProcess;
  base: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** Starts `mtcnn serve --port 0 ...` and resolves with its address once it listens. */
async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    void exited.then(({ code }) => reject(new Error(`mtcnn serve exited (${code}): ${stderr}`)));
  });
  return { child, base, exited, stderr: () => stderr };
}

type Entry = { file: string; width: number; height: number; faces: unknown[] };

describe.skipIf(!available)('mtcnn serve', () => {
  const images = available ? readdirSync(DEV).filter((f) => /\.(jpe?g|png)$/.test(f)) : [];
  const expected = new Map<string, Omit<Entry, 'file'>>();
  let served: Served;

  beforeAll(async () => {
    // What `mtcnn detect` prints for the dev images: the answers must be these entries, less `file`.
    const r = spawnSync(
      process.execPath,
      [BIN, 'detect', '-q', '--backend', 'onnx', ...images.map((f) => join(DEV, f))],
      {
        encoding: 'utf8',
      },
    );
    for (const { file, ...entry } of JSON.parse(r.stdout) as Entry[]) expected.set(file.slice(DEV.length + 1), entry);
    served = await serve(['--workers', '2']);
  });
  afterAll(() => {
    served?.child.kill('SIGKILL');
  });

  it('answers the 10 dev images with the entries of mtcnn detect, as a raw body and as multipart', async () => {
    expect(expected.size).toBe(10);
    for (const name of images) {
      const bytes = readFileSync(join(DEV, name));
      const raw = await fetch(`${served.base}/v1/detect`, {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect([name, raw.status, await raw.json()]).toEqual([name, 200, expected.get(name)]);
      const form = new FormData();
      form.append('image', new Blob([bytes]), name);
      const multi = await fetch(`${served.base}/v1/detect`, { method: 'POST', body: form });
      expect([name, multi.status, await multi.json()]).toEqual([name, 200, expected.get(name)]);
    }
  });

  it('SIGTERM during load: the requests in flight complete, then it stops listening and exits 0', async () => {
    // One worker and room for all: six requests in flight (one running, five queued) at the signal.
    const s = await serve(['--workers', '1', '--queue-size', '16']);
    // One image large enough (about a second on one worker) that the others queue behind or beside it.
    const names = [
      'shea_whigham.jpg',
      'no-faces.jpg',
      'face_rectangular.png',
      'ivan.jpg',
      'bbt4_640x480.jpg',
      'bbt2.jpg',
    ];
    let answered = 0;
    const answers = names.map((name) =>
      fetch(`${s.base}/v1/detect`, { method: 'POST', body: readFileSync(join(DEV, name)) }).then(async (r) => {
        answered++;
        return { status: r.status, body: (await r.json()) as unknown };
      }),
    );
    // Signal once every request has been read (in flight = handed to the worker pool, as the server's
    // readiness report counts them) or answered, with at least two in flight (one running, one
    // queued). A quiet machine answers small images before the last ones are read, so waiting for all
    // six in flight at once could wait forever; `answered` is read after the report, so it never
    // undercounts.
    let inFlight = 0;
    for (;;) {
      const ready = (await (await fetch(`${s.base}/readyz`)).json()) as { busy: number; queued: number };
      inFlight = ready.busy + ready.queued;
      if (inFlight + answered >= names.length) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    // Fail clearly, not vacuously, if the server got through them all before the signal.
    expect(inFlight, 'requests in flight at the signal').toBeGreaterThanOrEqual(2);
    s.child.kill('SIGTERM');
    const got = await Promise.all(answers);
    for (const [i, a] of got.entries())
      expect([names[i], a.status, a.body]).toEqual([names[i], 200, expected.get(names[i])]);
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toContain('SIGTERM: stopped after finishing the requests in flight');
    await expect(fetch(`${s.base}/healthz`)).rejects.toThrow(); // nobody listens any more
  });

  it('refuses bad flags with a usage error, exit 2', () => {
    const many = spawnSync(process.execPath, [BIN, 'serve', '--workers', '1000'], { encoding: 'utf8' });
    expect(many.status).toBe(2);
    expect(many.stderr).toContain('INVALID_OPTION: --workers must be a whole number from 1 to');
    const port = spawnSync(process.execPath, [BIN, 'serve', '--port', '70000'], { encoding: 'utf8' });
    expect(port.status).toBe(2);
    expect(port.stderr).toContain('--port must be a port number from 0 to 65535');
    const face = spawnSync(process.execPath, [BIN, 'serve', '--min-face', '3'], { encoding: 'utf8' });
    expect(face.status).toBe(2);
    expect(face.stderr).toContain('INVALID_OPTION');
  });
});
