/** The third-party versions the workspace tests with, so that the apps install the same ones. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO } from './paths.js';

function versionFrom(pkgDir: string, name: string): string {
  const require = createRequire(join(REPO, 'packages', pkgDir, 'package.json'));
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/** `name@version` as installed in the workspace. */
export function spec(name: string): string {
  const where: Record<string, string> = {
    'onnxruntime-node': 'backend-onnx',
    'onnxruntime-web': 'backend-onnx',
    '@tensorflow/tfjs-core': 'backend-tfjs',
    '@tensorflow/tfjs-backend-wasm': 'backend-tfjs',
    sharp: 'core',
    vite: 'visualizer',
  };
  if (name === 'typescript' || name === '@types/node') {
    const require = createRequire(join(REPO, 'package.json'));
    return `${name}@${(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version}`;
  }
  return `${name}@${versionFrom(where[name], name)}`;
}
