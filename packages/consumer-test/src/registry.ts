/**
 * A minimal npm registry on 127.0.0.1 that serves only our packed tarballs (npm is pointed at it
 * for the `@mtcnn` scope, every other package comes from the usual registry). With it,
 * `npm install -g @mtcnn/cli` lays the packages out exactly as it will after publishing: every
 * dependency inside the CLI's own tree, where the backends find the runtimes the CLI depends on.
 * (Installing several tarballs with `npm i -g a.tgz b.tgz` instead makes each a separate global
 * package, a layout no published install produces.)
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import type { Packed } from './pack.js';

export interface Registry {
  /** Base URL, ending in `/`. */
  url: string;
  close(): Promise<void>;
}

export async function serveRegistry(packed: readonly Packed[]): Promise<Registry> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    const byTarball = packed.find((p) => path === `tarballs/${basename(p.tarball)}`);
    if (byTarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(readFileSync(byTarball.tarball));
      return;
    }
    const p = packed.find((x) => x.name === path);
    if (!p) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    const bytes = readFileSync(p.tarball);
    // The manifest npm installs from is the one inside the tarball (workspace: ranges replaced).
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', p.tarball, 'package/package.json'], { encoding: 'utf8' }),
    );
    const { address, port } = server.address() as AddressInfo;
    const doc = {
      name: p.name,
      'dist-tags': { latest: p.version },
      versions: {
        [p.version]: {
          ...manifest,
          _id: `${p.name}@${p.version}`,
          dist: {
            tarball: `http://${address}:${port}/tarballs/${basename(p.tarball)}`,
            shasum: createHash('sha1').update(bytes).digest('hex'),
            integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
          },
        },
      },
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(doc));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
