import { describe, expect, it } from 'vitest';
import { enqueue } from './queue.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('enqueue', () => {
  it('runs tasks on one key one at a time, in order, past failures', async () => {
    const key = {};
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        running++;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      enqueue(key, task('a')),
      enqueue(key, task('b', true)),
      enqueue(key, task('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets different keys overlap', async () => {
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([enqueue({}, task('a')), enqueue({}, task('b'))]);
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
  });
});
