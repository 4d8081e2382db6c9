// Option value parsers shared by the commands: a bad value is a usage error from commander
// (exit code 1 with the option's name), before any image is read.
import { InvalidArgumentError } from 'commander';

/** A finite number, optionally with a rule (`check`, described by `rule`). */
export function number(name: string, check: (n: number) => boolean = () => true, rule = 'a number') {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InvalidArgumentError(`${name} must be ${rule}.`);
    return n;
  };
}

/** Exactly `count` comma-separated finite numbers. */
export function numberList(count: number) {
  return (v: string): number[] => {
    const parts = v.split(',').map((s) => Number(s));
    if (parts.length !== count || parts.some((n) => !Number.isFinite(n))) {
      throw new InvalidArgumentError(
        `expected ${count} comma-separated numbers, e.g. ${[0.6, 0.7, 0.7, 0.7].slice(0, count).join(',')}.`,
      );
    }
    return parts;
  };
}

/** A whole number >= 1. */
export function positiveInt(name: string) {
  return number(name, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1');
}
