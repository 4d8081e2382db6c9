// Option value parsers for commander: the server's query-parameter parsers (@mtcnn/runner's
// option-strings.ts, one set of rules and words for both), with a bad value turned into commander's
// usage error (exit code 2 with the option's name), before any image is read.
import { InvalidArgumentError } from 'commander';
import { isMtcnnError } from '@mtcnn/core';
import { parseNumber, parseNumberList } from '@mtcnn/runner';

function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (isMtcnnError(e, 'INVALID_OPTION')) throw new InvalidArgumentError(e.message);
    throw e;
  }
}

/** A finite number, optionally with a rule (`check`, described by `rule`). */
export function number(name: string, check: (n: number) => boolean = () => true, rule = 'a number') {
  return (v: string): number => {
    const n = usage(() => parseNumber(name, v));
    if (!check(n)) throw new InvalidArgumentError(`${name} must be ${rule}, got '${v}'.`);
    return n;
  };
}

/**
 * Exactly `count` comma-separated finite numbers. An empty part (`0.6,0.7,`, `,,,`) is refused:
 * `Number('')` is 0, which would silently turn a typo into a threshold of 0.
 */
export function numberList(name: string, count: number) {
  return (v: string): number[] => usage(() => parseNumberList(name, v, count));
}

/** A whole number >= 1. */
export function positiveInt(name: string) {
  return number(name, (n) => Number.isInteger(n) && n >= 1, 'a whole number >= 1');
}
