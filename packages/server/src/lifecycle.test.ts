import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serveUntilSignal } from './lifecycle.js';
import { createServer } from './server.js';

describe('serveUntilSignal', () => {
  it('listens, and on its signal stops listening, stops the workers, and resolves with the signal', async () => {
    const server = await createServer({ workers: 1, logger: false });
    let address = '';
    // SIGUSR2, emitted in this process only: a real SIGTERM would stop the test runner.
    const stopped = serveUntilSignal(server, { port: 0, signals: ['SIGUSR2'] }, (a) => {
      address = a;
    });
    while (!address) await new Promise((r) => setTimeout(r, 10));
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await stopped).toBe('SIGUSR2');
    expect(server.pool.stats().workers).toBe(0);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
    await expect(fetch(`${address}/healthz`)).rejects.toThrow();
  });

  it('answers a request in flight at the signal with Connection: close, so that its connection ends', async () => {
    // Before, that connection stayed open after its answer until the keep-alive timeout (72 s), and
    // closing waited for it: `mtcnn serve` took 70 s to exit after SIGTERM.
    const server = await createServer({ workers: 1, logger: false });
    let address = '';
    const stopped = serveUntilSignal(server, { port: 0, signals: ['SIGUSR2'] }, (a) => {
      address = a;
    });
    while (!address) await new Promise((r) => setTimeout(r, 10));
    const sample = readFileSync(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));
    let done = false;
    const answer = fetch(`${address}/v1/detect`, { method: 'POST', body: sample }).finally(() => {
      done = true;
    });
    for (;;) {
      const { busy, queued } = server.pool.stats();
      if (busy + queued > 0 || done) break;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(done, 'the request was answered before the signal').toBe(false);
    process.emit('SIGUSR2', 'SIGUSR2');
    const r = await answer;
    expect(r.status).toBe(200);
    expect(r.headers.get('connection')).toBe('close');
    expect(await stopped).toBe('SIGUSR2');
    expect(server.pool.stats().workers).toBe(0);
  });

  it('refuses a port out of range, and closes the server', async () => {
    const server = await createServer({ workers: 1, logger: false });
    await expect(serveUntilSignal(server, { port: 70000, signals: ['SIGUSR2'] })).rejects.toThrow(
      '--port must be a whole number from 0 to 65535, got 70000.',
    );
    expect(server.pool.stats().workers).toBe(0);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
