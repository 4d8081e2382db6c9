import cliProgress from 'cli-progress';
import { printable } from './escape.js';

/** How a batch reports its progress on stderr (stdout carries results only). */
export interface Progress {
  /** `total` images in the run, `done` of them already finished before it started (resumed). */
  start(total: number, done: number): void;
  /** One image finished; `log` describes it, `failed` says if it is an error entry. */
  tick(log: readonly string[], failed: boolean): void;
  /** A message that must not garble the bar. */
  note(line: string): void;
  stop(): void;
}

/** Nothing at all (`--quiet`). */
export function silentProgress(): Progress {
  return { start() {}, tick() {}, note() {}, stop() {} };
}

/** One or more lines per image: for logs, pipes and CI, where a redrawn bar would be noise. */
export function lineProgress(write: (line: string) => void): Progress {
  return {
    start() {},
    tick(log) {
      for (const line of log) write(printable(line));
    },
    note: (line) => write(printable(line)),
    stop() {},
  };
}

/**
 * A redrawn bar on a terminal: images done / total, images per second (this run's, so a resumed
 * run is not flattered by the skipped images), ETA and failures. Failed images are printed above
 * the bar as they happen; successful ones only move it.
 */
export function barProgress(stream: NodeJS.WriteStream): Progress {
  const multi = new cliProgress.MultiBar({
    stream,
    format: '{bar} {value}/{total} images | {rate} img/s | ETA {eta_formatted} | {failed} failed',
    barsize: 30,
    etaBuffer: 50, // ETA from the last 50 images: steadier than the default 10
    hideCursor: false, // a crash must not leave the user's terminal without a cursor
    clearOnComplete: false,
    stopOnComplete: false,
  });
  let bar: cliProgress.SingleBar | undefined;
  let t0 = 0;
  let base = 0;
  let value = 0;
  let failed = 0;
  const payload = () => {
    const seconds = (performance.now() - t0) / 1000;
    return { rate: seconds > 0 ? ((value - base) / seconds).toFixed(2) : '0.00', failed };
  };
  return {
    start(total, done) {
      t0 = performance.now();
      base = value = done;
      bar = multi.create(total, done, { rate: '0.00', failed: 0 });
    },
    tick(log, isFailure) {
      value++;
      if (isFailure) {
        failed++;
        multi.log(`${printable(log[0] ?? 'an image failed')}\n`);
      }
      bar?.update(value, payload());
    },
    note(line) {
      if (bar) multi.log(`${printable(line)}\n`);
      else stream.write(`${printable(line)}\n`);
    },
    stop() {
      if (bar) bar.update(value, payload());
      multi.stop();
    },
  };
}
