#!/usr/bin/env node
import { BrokenPipe, EXIT_BROKEN_PIPE } from './batch.js';
import { run } from './program.js';

// `mtcnn detect -o - | head`: once the reader is gone, writing to stdout fails (EPIPE). The run
// then stops taking images, lets the ones in flight finish (stopping a worker thread in the middle
// of a native network run can abort the process) and exits 141 without a word, as a process
// killed by SIGPIPE does. Errors on stderr (its reader gone too) are dropped.
let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  stdoutClosed = true;
  process.exitCode = EXIT_BROKEN_PIPE;
});
process.stderr.on('error', () => undefined);

const code = await run(process.argv.slice(2), {
  stdout: (t) => {
    if (stdoutClosed) throw new BrokenPipe();
    process.stdout.write(t);
  },
  stderr: (t) => {
    if (!process.stderr.destroyed) process.stderr.write(t);
  },
  progressStream: process.stderr.isTTY ? process.stderr : undefined,
});
process.exitCode = stdoutClosed ? EXIT_BROKEN_PIPE : code;
