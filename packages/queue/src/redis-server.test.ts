import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from './redis-server.js';

describe('startRedisServer', () => {
  const servers: RedisServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('starts a real redis-server on 127.0.0.1 with a free port, and stop() ends it and removes its dir', async () => {
    const server = await startRedisServer();
    servers.push(server);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const client = new Redis(server.port, '127.0.0.1');
    expect(await client.ping()).toBe('PONG');
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    client.disconnect();
    const pid = server.pid;
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow(); // no such process any more
  });

  it('keeps the data across a restart with appendonly, on the same port', async () => {
    const server = await startRedisServer({ appendonly: true });
    servers.push(server);
    const port = server.port;
    const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
    client.on('error', () => {});
    await client.set('k', 'survives');
    const pid = server.pid;
    await server.restart();
    expect(server.pid).not.toBe(pid);
    expect(server.port).toBe(port);
    expect(await client.get('k')).toBe('survives'); // ioredis reconnected to the new process
    client.disconnect();
  });

  it('loses the data across a restart without appendonly (no snapshots either)', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const client = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: null });
    client.on('error', () => {});
    await client.set('k', 'gone');
    await server.restart();
    expect(await client.get('k')).toBeNull();
    client.disconnect();
  });
});
