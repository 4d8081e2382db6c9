/**
 * `mtcnn detect` over many files with --jobs 1 and --jobs 2: images per second, wall time of the
 * whole command (worker start-up included), on images listed in ../shared/data/fddb/dev.txt.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR, SHARED_DIR } from './protocol.js';
import type { CliThroughput } from './results.js';

const CLI_BIN = join(REPO_DIR, 'packages/cli/dist/bin.js');
export const FDDB_DIR = join(SHARED_DIR, 'data/fddb');

export function devList(limit?: number): string[] {
  const all = readFileSync(join(FDDB_DIR, 'dev.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return limit === undefined ? all : all.slice(0, limit);
}

function runDetect(files: string[], jobs: number, backend: string, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [CLI_BIN, 'detect', '-q', '--backend', backend, '--jobs', String(jobs), '-o', out, '--overwrite', ...files],
      {
        cwd: FDDB_DIR,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', (code) => {
      // 1 = some image could not be read: still a measurement.
      if (code === 0 || code === 1) resolve((performance.now() - t0) / 1000);
      else reject(new Error(`mtcnn detect --jobs ${jobs} exited with ${code}`));
    });
  });
}

export async function measureCliThroughput(files: string[], backend: string): Promise<CliThroughput> {
  const dir = mkdtempSync(join(tmpdir(), 'mtcnn-bench-'));
  try {
    const s1 = await runDetect(files, 1, backend, join(dir, 'j1.jsonl'));
    const s2 = await runDetect(files, 2, backend, join(dir, 'j2.jsonl'));
    const n = files.length;
    return {
      backend,
      images: n,
      jobs1: { seconds: s1, imagesPerSecond: n / s1 },
      jobs2: { seconds: s2, imagesPerSecond: n / s2 },
      ratio: s1 / s2,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
