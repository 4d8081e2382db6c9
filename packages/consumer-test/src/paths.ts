import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO = join(PKG, '..', '..');
/** The shared test images beside the repository (never copied into it). */
export const SHARED = join(REPO, '..', 'shared');
export const MULTIFACE = join(SHARED, 'images', 'dev', 'multiface.jpg');
/** Where the sizes and the built apps are kept for reading after a run (gitignored: /out/). */
export const OUT = join(REPO, 'out', 'consumer-test');

export function sharedMissing(): boolean {
  if (existsSync(MULTIFACE)) return false;
  const line = '!'.repeat(100);
  console.warn(`${line}\nCONSUMER TEST SKIPPED: ${MULTIFACE} is missing (../shared beside the repository).\n${line}`);
  return true;
}
