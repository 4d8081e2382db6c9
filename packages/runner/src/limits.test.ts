import { describe, expect, it } from 'vitest';
import { isMtcnnError } from '@mtcnn/core';
import { checkWorkers, maxWorkers, threadsPerWorker } from './limits.js';

describe('threadsPerWorker', () => {
  it('one thread per worker asked for; fewer workers (fewer images) share the idle ones, up to the cores', () => {
    const cases: [requested: number, workers: number, cores: number, want: number][] = [
      [2, 2, 2, 1], // --jobs 2 (default on 2 cores), many images
      [1, 1, 2, 1], // --jobs 1: one worker, one core, as asked
      [2, 1, 2, 2], // default on 2 cores, one image: both cores
      [8, 3, 8, 2], // default on 8 cores, 3 images
      [4, 1, 2, 2], // --jobs 4 on 2 cores, one image: capped at the cores
      [16, 16, 8, 1],
    ];
    for (const [requested, workers, cores, want] of cases)
      expect(threadsPerWorker(requested, workers, cores)).toBe(want);
  });
});

describe('checkWorkers', () => {
  it('accepts 1 to 4 per core and names the flag and the bound otherwise', () => {
    expect(maxWorkers(2)).toBe(8);
    expect(maxWorkers(0)).toBe(4);
    expect(checkWorkers(1, '--jobs', 2)).toBe(1);
    expect(checkWorkers(8, '--jobs', 2)).toBe(8);
    for (const bad of [0, -1, 1.5, 9, 1000, Number.NaN]) {
      let caught: unknown;
      try {
        checkWorkers(bad, '--jobs', 2);
      } catch (e) {
        caught = e;
      }
      expect(isMtcnnError(caught, 'INVALID_OPTION')).toBe(true);
      expect((caught as Error).message).toBe(
        `--jobs must be a whole number from 1 to 8 (4 per core, 2 cores here), got ${bad}.`,
      );
    }
  });
});
