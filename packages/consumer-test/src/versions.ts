/** The third-party versions the workspace tests with, so that the apps install the same ones. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO } from './paths.js';

/** The installed version, found from the package's entry (some `exports` maps hide package.json). */
function versionFrom(pkgDir: string, name: string): string {
  const require = createRequire(join(REPO, 'packages', pkgDir, 'package.json'));
  for (const base of require.resolve.paths(name) ?? []) {
    const file = join(base, name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error(`${name} is not installed in packages/${pkgDir}`);
}

/** `name@version` as installed in the workspace. */
export function spec(name: string): string {
  const where: Record<string, string> = {
    'onnxruntime-node': 'backend-onnx',
    'onnxruntime-web': 'backend-onnx',
    '@tensorflow/tfjs-core': 'backend-tfjs',
    '@tensorflow/tfjs-backend-wasm': 'backend-tfjs',
    '@tensorflow/tfjs-backend-webgl': 'worker',
    sharp: 'core',
    vite: 'visualizer',
  };
  return `${name}@${versionFrom(where[name] ?? '..', name)}`;
}
