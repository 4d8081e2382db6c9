import { describe, expect, it } from 'vitest';
import { canonicalJson, checkQueueName, chunk, jobIdOf, runKeys } from './run.js';

describe('job ids', () => {
  it('are a function of the paths and their order, not of when or where they are computed', () => {
    expect(jobIdOf(['/a/1.jpg', '/a/2.jpg'])).toBe(jobIdOf(['/a/1.jpg', '/a/2.jpg']));
    expect(jobIdOf(['/a/1.jpg', '/a/2.jpg'])).not.toBe(jobIdOf(['/a/2.jpg', '/a/1.jpg']));
    expect(jobIdOf(['/a/1.jpg'])).not.toBe(jobIdOf(['/a/1.jpg', '/a/2.jpg']));
    // A path boundary cannot be faked by a path containing the separator of another.
    expect(jobIdOf(['/a', 'b'])).not.toBe(jobIdOf(['/a\nb']));
  });

  it('are valid BullMQ custom ids: never a number, never a colon', () => {
    const id = jobIdOf(['/x.jpg']);
    expect(id).toMatch(/^c[0-9a-f]{40}$/);
    expect(Number.isNaN(Number(id))).toBe(true);
  });
});

describe('chunk', () => {
  it('cuts in order, the last chunk shorter', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 16)).toEqual([]);
  });

  it('refuses a size below 1', () => {
    expect(() => chunk([1], 0)).toThrow(/--chunk/);
  });
});

describe('run records', () => {
  it('canonical JSON sorts keys and drops undefined, so equal options compare equal', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2, 1] } })).toBe(canonicalJson({ a: { c: [2, 1] }, b: 1 }));
  });

  it("keys live beside BullMQ's under bull:NAME:mtcnn", () => {
    const k = runKeys('faces');
    expect(k.files).toBe('bull:faces:mtcnn:files');
    expect(k.partial('c1')).toBe('bull:faces:mtcnn:partial:c1');
  });

  it('refuses queue names that would break the key layout', () => {
    expect(checkQueueName('photos-2024.v1')).toBe('photos-2024.v1');
    expect(() => checkQueueName('a:b')).toThrow(/--queue/);
    expect(() => checkQueueName('')).toThrow(/--queue/);
  });
});
