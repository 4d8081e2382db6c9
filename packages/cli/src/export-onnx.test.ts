import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeOnnxBackend, decodeModel } from '@mtcnn/backend-onnx/node';
import { createNodeTfjsBackend } from '@mtcnn/backend-tfjs/node';
import { faceProbabilities } from '@mtcnn/core/backend-kit';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { run } from './program.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Uniform values in [-1, 1) (normalised pixels), deterministic. */
function randomInput(seed: number, length: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** HWC crops -> NCHW, as the exported graphs take them. */
function nchw(src: Float32Array, n: number, h: number, w = h): Float32Array {
  const out = new Float32Array(src.length);
  const plane = h * w;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < plane; i++)
      for (let c = 0; c < 3; c++) out[(b * 3 + c) * plane + i] = src[(b * plane + i) * 3 + c];
  return out;
}

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('mtcnn export-onnx', () => {
  it(
    'writes three ONNX files (IR 8, opset <= 17) that load back ' +
      "in onnxruntime-node and give the backends' outputs",
    async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'mtcnn-onnx-')), 'models');
      const { code, stdout } = await cli('export-onnx', dir);
      expect(code).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(['onet.onnx', 'pnet.onnx', 'rnet.onnx']);
      const report = JSON.parse(stdout);
      expect(report).toMatchObject({ ir_version: 8, input_layout: 'nchw' });
      expect(report.opset).toBeLessThanOrEqual(17);
      for (const f of report.files) {
        const m = decodeModel(readFileSync(f.path));
        expect(Number(m.irVersion)).toBe(8);
        expect(Number(m.opsetImport[0].version)).toBeLessThanOrEqual(17);
      }

      const onnx = await createNodeOnnxBackend();
      const tfjs = await createNodeTfjsBackend({ backend: 'wasm' });
      const sessions = await Promise.all(
        ['pnet', 'rnet', 'onet'].map((n) => ort.InferenceSession.create(join(dir, `${n}.onnx`))),
      );
      try {
        const [pnet, rnet, onet] = sessions;
        const [h, w] = [47, 61];
        const level = randomInput(1, h * w * 3);
        const p = await pnet.run({ input: new ort.Tensor('float32', nchw(level, 1, h, w), [1, 3, h, w]) });
        for (const want of [await onnx.runPNet(level, h, w), await tfjs.runPNet(level, h, w)]) {
          expect(p.prob.dims).toEqual([1, want.height, want.width]);
          expect(maxAbsDiff(p.prob.data as Float32Array, faceProbabilities(want.logit, 'divide'))).toBeLessThan(1e-4);
          expect(maxAbsDiff(p.reg.data as Float32Array, want.reg)).toBeLessThan(1e-4);
        }
        const rc = randomInput(2, 7 * 24 * 24 * 3);
        const r = await rnet.run({ input: new ort.Tensor('float32', nchw(rc, 7, 24), [7, 3, 24, 24]) });
        for (const want of [await onnx.runRNet(rc, 7), await tfjs.runRNet(rc, 7)]) {
          expect(maxAbsDiff(r.prob.data as Float32Array, faceProbabilities(want.logit, 'reciprocal'))).toBeLessThan(
            1e-4,
          );
          expect(maxAbsDiff(r.reg.data as Float32Array, want.reg)).toBeLessThan(1e-4);
        }
        const oc = randomInput(3, 5 * 48 * 48 * 3);
        const o = await onet.run({ input: new ort.Tensor('float32', nchw(oc, 5, 48), [5, 3, 48, 48]) });
        for (const want of [await onnx.runONet(oc, 5), await tfjs.runONet(oc, 5)]) {
          expect(maxAbsDiff(o.prob.data as Float32Array, faceProbabilities(want.logit, 'reciprocal'))).toBeLessThan(
            1e-4,
          );
          expect(maxAbsDiff(o.landmarks.data as Float32Array, want.landmarks)).toBeLessThan(1e-4);
        }
      } finally {
        await Promise.all(sessions.map((s) => s.release()));
        await onnx.disposeAsync();
        tfjs.dispose();
      }
    },
  );

  it('can export NHWC-input graphs, and rejects an unknown layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtcnn-onnx-'));
    expect((await cli('export-onnx', '--input-layout', 'nhwc', dir)).code).toBe(0);
    const m = decodeModel(readFileSync(join(dir, 'rnet.onnx')));
    expect(m.graph.input[0].type.tensorType.shape.dim.map((d) => d.dimParam || Number(d.dimValue))).toEqual([
      'N',
      24,
      24,
      3,
    ]);
    expect((await cli('export-onnx', '--input-layout', 'chw', dir)).code).not.toBe(0);
  });

  it('unreadable weights: exit 2, one line naming WEIGHTS_FETCH, no stack (was: WeightsError, a stack, exit 1)', () => {
    // The binary, so that what reaches the terminal (and the exit code) is what a user sees.
    const missing = join(mkdtempSync(join(tmpdir(), 'mtcnn-noweights-')), 'nowhere');
    const r = spawnSync(process.execPath, [BIN, 'export-onnx', '--weights-dir', missing, join(missing, 'out')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mtcnn: WEIGHTS_FETCH: Cannot read the MTCNN weights from .*nowhere/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
