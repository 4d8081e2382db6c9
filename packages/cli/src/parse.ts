// Option value parsers shared by the commands: a bad value is a usage error from commander
// (exit code 2 with the option's name), before any image is read.
import { InvalidArgumentError } from 'commander';

/** A finite number, optionally with a rule (`check`, described by `rule`). */
export function number(name: string, check: (n: number) => boolean = () => true, rule = 'a number') {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InvalidArgumentError(`${name} must be ${rule}.`);
    return n;
  };
}

/**
 * Exactly `count` comma-separated finite numbers. An empty part (`0.6,0.7,`, `,,,`) is refused:
 * `Number('')` is 0, which would silently turn a typo into a threshold of 0.
 */
export function numberList(count: number) {
  return (v: string): number[] => {
    const texts = v.split(',');
    const parts = texts.map((s) => Number(s));
    if (texts.length !== count || texts.some((s) => s.trim() === '') || parts.some((n) => !Number.isFinite(n))) {
      throw new InvalidArgumentError(
        `expected ${count} comma-separated numbers, none empty, e.g. ${[0.6, 0.7, 0.7, 0.7].slice(0, count).join(',')}; got ${JSON.stringify(v)}.`,
      );
    }
    return parts;
  };
}

/** A whole number >= 1. */
export function positiveInt(name: string) {
  return number(name, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1');
}
