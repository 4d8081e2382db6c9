/** Tarball and browser bundle sizes, for docs/backends.md. */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  page: string;
  /** JavaScript the page may load (entry, its static and dynamic imports, a worker's chunks). */
  js: number;
  jsGzip: number;
  /** .wasm files the page may fetch (all variants emitted; a browser fetches one). */
  wasm: { file: string; bytes: number; gzip: number }[];
  /** The weight files (the shard; the manifest is small enough to be inlined). */
  weights: number;
}

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  assets?: string[];
}

/** Sizes of one page of a `vite build` with `build.manifest: true`. */
export function bundleSize(dist: string, page: string): BundleSize {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const seen = new Set<string>();
  const assets = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    const c = manifest[key];
    for (const a of c.assets ?? []) assets.add(a);
    for (const k of [...(c.imports ?? []), ...(c.dynamicImports ?? [])]) visit(k);
  };
  visit(page);
  const jsFiles = new Set([...seen].map((key) => manifest[key].file));
  // A worker's bundle is an asset of the page: follow the hashed file names its chunks mention.
  const crawl = (file: string): void => {
    const text = readFileSync(join(dist, file), 'utf8');
    for (const [name] of text.matchAll(/[\w.-]+-[\w-]{8}\.(?:js|wasm|bin)/g)) {
      const f = `assets/${name}`;
      if (jsFiles.has(f) || assets.has(f) || !existsSync(join(dist, f))) continue;
      if (f.endsWith('.js')) {
        jsFiles.add(f);
        crawl(f);
      } else assets.add(f);
    }
  };
  for (const a of [...assets].filter((f) => f.endsWith('.js'))) {
    assets.delete(a);
    jsFiles.add(a);
    crawl(a);
  }
  let js = 0;
  let jsGzip = 0;
  for (const file of jsFiles) {
    const bytes = readFileSync(join(dist, file));
    js += bytes.length;
    jsGzip += gzipSync(bytes).length;
  }
  const all = [...assets].map((file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, bytes: bytes.length, gzip: gzipSync(bytes).length };
  });
  return {
    page,
    js,
    jsGzip,
    wasm: all.filter((a) => a.file.endsWith('.wasm')),
    weights: all.filter((a) => /mtcnn_model/.test(a.file)).reduce((n, a) => n + a.bytes, 0),
  };
}

export const kB = (n: number): string => `${(n / 1024).toFixed(n < 10_240 ? 1 : 0)} kB`;
export const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;

/** Bytes of the files under `dir` (symbolic links not followed), as \`du\` would count them apparent. */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}
