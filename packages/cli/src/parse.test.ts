import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { number, numberList, positiveInt } from './parse.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const SAMPLE = join(ROOT, 'examples/astronaut-collage.jpg');

describe('numberList', () => {
  it('reads exactly count finite numbers', () => {
    expect(numberList('--t', 3)('0.6,0.7,0.7')).toEqual([0.6, 0.7, 0.7]);
    expect(numberList('--n', 4)(' 0.5, 0.7 ,0.7,1')).toEqual([0.5, 0.7, 0.7, 1]);
  });

  it('refuses empty parts, which Number() would read as 0', () => {
    for (const v of ['0.6,0.7,', ',,', ',0.7,0.7', '0.6, ,0.7', ''])
      expect(() => numberList('--t', 3)(v)).toThrow(InvalidArgumentError);
    expect(() => numberList('--n', 4)(',,,')).toThrow(/none empty/);
  });

  it('refuses a wrong count and non-numbers', () => {
    expect(() => numberList('--t', 3)('0.6,0.7')).toThrow(InvalidArgumentError);
    expect(() => numberList('--t', 3)('0.6,0.7,0.7,0.7')).toThrow(InvalidArgumentError);
    expect(() => numberList('--t', 3)('0.6,x,0.7')).toThrow(InvalidArgumentError);
    expect(() => numberList('--t', 3)('0.6,Infinity,0.7')).toThrow(InvalidArgumentError);
  });
});

describe('number / positiveInt', () => {
  it('refuses blanks and values that break the rule', () => {
    expect(number('--x')('2.5')).toBe(2.5);
    expect(() => number('--x')(' ')).toThrow(InvalidArgumentError);
    expect(() => number('--x')('NaN')).toThrow(InvalidArgumentError);
    expect(positiveInt('--jobs')('3')).toBe(3);
    expect(() => positiveInt('--jobs')('1.5')).toThrow(/--jobs must be a whole number >= 1/);
  });
});

describe('the mtcnn binary with empty list parts', () => {
  // Each was accepted before (thresholds 0,0: 8 faces on a one-face photo; ',,' 940).
  it.each([
    ['--thresholds', '0.6,0.7,'],
    ['--thresholds', ',,'],
    ['--nms', ',,,'],
    ['--nms', '0.5,,0.7,0.7'],
  ])('detect %s %s is a usage error (exit 2) before any image is read', (flag, value) => {
    const r = spawnSync(process.execPath, [BIN, 'detect', flag, value, SAMPLE], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toContain('none empty');
  });
});
