// `pnpm eval:fddb` end to end, through the built script, on the first images of FDDB's dev list.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVAL_BACKEND, REPO_DIR, SHARED_DIR } from './args.js';

const SCRIPT = `${REPO_DIR}packages/eval/dist/fddb.js`;
const CLI = `${REPO_DIR}packages/cli/dist/bin.js`;
const FDDB = `${SHARED_DIR}data/fddb/`;
const available = existsSync(`${FDDB}annotations.json`) && existsSync(`${SHARED_DIR}tools/eval-faces.mjs`);
if (!available)
  console.warn(
    `\n!!! SKIPPED the FDDB evaluation test: ${FDDB} or the evaluator not ` +
      `found. Put the project's shared/ folder beside the repository. !!!\n`,
  );

const N = 6;
type Entry = { file: string; faces: { confidence: number }[] };
const jsonl = (path: string): Entry[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Entry);

describe.skipIf(!available)('pnpm eval:fddb', () => {
  const out = mkdtempSync(join(tmpdir(), 'mtcnn-eval-'));
  const docs = join(out, 'accuracy.md');
  const evalFddb = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [SCRIPT, '--limit', String(N), '--jobs', '1', '-q', '--out', out, '--docs', docs, ...args],
      { encoding: 'utf8' },
    );

  it('runs the CLI at the low final threshold, scores it twice, and writes the row', () => {
    const r = evalFddb();
    expect(r.stderr).not.toMatch(/WARNING: .*(DECODE|NO_MATCH)/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`FDDB dev\\[:${N}\\]: ${N} images, \\d+ faces`));
    expect(r.stdout).toMatch(/at final threshold 0\.7: box AP@0\.5 [01]\.\d{4}/);
    expect(r.stdout).toMatch(/curve down to score > 0\.01: TPR [01]\.\d{4} @100/);
    const lines = jsonl(join(out, 'default.t3-0.01.jsonl'));
    expect(lines).toHaveLength(N);
    // the low-threshold run
    expect(Math.min(...lines.flatMap((e) => e.faces.map((f) => f.confidence)))).toBeLessThan(0.7);
    expect(readFileSync(docs, 'utf8')).toMatch(
      new RegExp(
        `^\\| default \\| dev\\[:${N}\\] \\| \`--backend tfjs-wasm\`, final threshold 0\\.7 \\| ${N} / \\d+ \\|`,
        'm',
      ),
    );
  });

  it('a rerun resumes: no image is detected again, the numbers are the same', () => {
    const file = join(out, 'default.t3-0.01.jsonl');
    const before = statSync(file).size;
    const first = evalFddb().stdout;
    expect(statSync(file).size).toBe(before);
    expect(evalFddb().stdout).toBe(first);
  });

  it('cutting the low-threshold run at 0.7 gives exactly the faces of a run at 0.7', () => {
    const lines = jsonl(join(out, 'default.t3-0.01.jsonl'));
    const direct = spawnSync(
      process.execPath,
      [CLI, 'detect', '-q', '--jobs', '1', '--backend', EVAL_BACKEND, ...lines.map((e) => e.file)],
      { cwd: FDDB, encoding: 'utf8' },
    );
    expect(direct.status).toBe(0);
    const atDefault = JSON.parse(direct.stdout) as Entry[];
    expect(atDefault.map((e) => e.file)).toEqual(lines.map((e) => e.file));
    atDefault.forEach((e, i) => {
      expect(lines[i].faces.filter((f) => f.confidence > 0.7)).toEqual(e.faces);
    });
  });
});
