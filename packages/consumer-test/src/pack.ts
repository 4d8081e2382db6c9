/** Packs every public package of the workspace with `pnpm pack`, as a release would. */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './paths.js';

export interface Packed {
  name: string;
  version: string;
  /** The package's folder in the workspace. */
  dir: string;
  /** Absolute path of the tarball. */
  tarball: string;
  /** Size of the tarball (gzipped), bytes. */
  bytes: number;
  /** Paths inside the package, as packed. */
  files: string[];
}

/** The workspace packages that are not private, in dependency order (dependencies first). */
export function publicPackages(): { name: string; dir: string; deps: string[] }[] {
  const all = readdirSync(join(REPO, 'packages'))
    .map((d) => join(REPO, 'packages', d))
    .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false }))
    .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ json }) => !json.private)
    .map(({ dir, json }) => ({
      name: json.name as string,
      dir,
      deps: Object.keys({ ...json.dependencies, ...json.peerDependencies }).filter((d) => d.startsWith('@mtcnn/')),
    }));
  const ordered: typeof all = [];
  const visit = (p: (typeof all)[number]): void => {
    if (ordered.includes(p)) return;
    for (const d of p.deps) {
      const dep = all.find((x) => x.name === d);
      if (dep) visit(dep);
    }
    ordered.push(p);
  };
  for (const p of all) visit(p);
  return ordered;
}

/** Packs each public package into `dest` (packages must be built). */
export async function packAll(dest: string): Promise<Packed[]> {
  const out: Packed[] = [];
  // One at a time: pnpm pack is quick, and the machine is shared.
  for (const p of publicPackages()) {
    const { stdout } = await promisify(execFile)('pnpm', ['pack', '--pack-destination', dest, '--json'], {
      cwd: p.dir,
      maxBuffer: 1 << 24,
    });
    const r = JSON.parse(stdout) as { name: string; version: string; filename: string; files: { path: string }[] };
    out.push({
      name: r.name,
      version: r.version,
      dir: p.dir,
      tarball: r.filename,
      bytes: statSync(r.filename).size,
      files: r.files.map((f) => f.path).sort(),
    });
  }
  return out;
}
