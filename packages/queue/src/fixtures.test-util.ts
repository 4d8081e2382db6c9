// Test images: FDDB's dev list in ../shared (never copied into the repository).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));
export const SHARED_DIR = `${resolve(REPO_DIR, '../shared')}/`;
export const FDDB_DIR = `${SHARED_DIR}data/fddb/`;
export const fddbAvailable = existsSync(`${FDDB_DIR}dev.txt`);
if (!fddbAvailable)
  console.warn(
    `\n!!! SKIPPED the queue tests that detect: ${FDDB_DIR}dev.txt not ` +
      `found. Put the project's shared/ folder beside the repository. !!!\n`,
  );

/** The first `n` images of FDDB's dev list, as absolute paths. */
export function fddbDev(n: number): string[] {
  return readFileSync(`${FDDB_DIR}dev.txt`, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, n)
    .map((f) => FDDB_DIR + f);
}

/**
 * Poll `check` every `everyMs` until it returns a value (not undefined); a generous deadline only stops a hung test.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  everyMs = 100,
  deadlineMs = 300_000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() - t0 > deadlineMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
