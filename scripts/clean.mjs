// Build step: empties an output folder first (`node ../../scripts/clean.mjs dist`), so that files of
// sources since removed or moved never linger in dist/ and end up in a packed tarball.
import { rmSync } from 'node:fs';

for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true });
