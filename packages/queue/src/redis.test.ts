import { isMtcnnError } from '@mtcnn/core';
import { describe, expect, it } from 'vitest';
import { connectOnce, redisOptions, safeUrl } from './redis.js';
import { freePort } from './redis-server.js';

describe('redisOptions', () => {
  it('reads host, port, database, credentials and TLS from the URL', () => {
    expect(redisOptions('redis://10.0.0.5:6380/2')).toEqual({ host: '10.0.0.5', port: 6380, db: 2 });
    expect(redisOptions('redis://localhost')).toEqual({ host: 'localhost', port: 6379 });
    expect(redisOptions('rediss://u:p%40ss@h:1')).toEqual({
      host: 'h',
      port: 1,
      username: 'u',
      password: 'p@ss',
      tls: {},
    });
  });

  it('refuses what is not a redis URL, as a usage error', () => {
    for (const bad of ['localhost:6379', 'http://h:1', 'redis://h:1/x']) {
      let error: unknown;
      try {
        redisOptions(bad);
      } catch (e) {
        error = e;
      }
      expect(isMtcnnError(error, 'INVALID_OPTION')).toBe(true);
    }
  });

  it('hides the password in messages', () => {
    expect(safeUrl('redis://u:secret@h:1')).toBe('redis://u:***@h:1');
  });
});

describe('connectOnce', () => {
  it('fails fast, naming the URL, when nothing listens there', async () => {
    const port = await freePort();
    await expect(connectOnce(`redis://127.0.0.1:${port}`)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining(`No Redis answers at redis://127.0.0.1:${port}`),
    });
  });
});
