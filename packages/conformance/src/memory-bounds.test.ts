// Memory bounds of issue 16, each in a child process with a measurable invariant (never a time):
// - a P-Net threshold of 0 on a large image ran V8 out of heap (every cell a candidate object):
//   with maxCandidatesPerLevel it completes inside a small heap;
// - a large image's scratch buffers stayed held by the detector for its lifetime (1.64 GB after
//   a 100-megapixel image): the pool now holds at most SCRATCH_MAX_BYTES, and nothing after dispose().
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const HERE = new URL('.', import.meta.url);
/** The P-Net stage is internal to the core (not exported): the test imports its built module. */
const PNET_STAGE = new URL('../../core/dist/stages/pnet.js', import.meta.url).href;

function child(
  script: string,
  flags: string[],
): { status: number | null; signal: string | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    cwd: new URL('..', HERE),
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** A noise image (raw RGB): every P-Net cell passes a threshold of 0. */
const NOISE = `
const noise = (w, h) => { const d = new Uint8Array(w * h * 3); let s = 1; for (let i = 0; i < d.length; i++) { s = (s * 1103515245 + 12345) >>> 0; d[i] = s >>> 24; } return { data: d, width: w, height: h }; };
`;

describe('memory bounds (onnx, child processes)', () => {
  it('P-Net with threshold 0 on a 6-megapixel image stays inside a 256 MB heap (the cap keeps 100,000 candidates a level)', () => {
    // The P-Net stage alone (where the candidates are made): R-Net on ~100,000 boxes of noise
    // would only add minutes.
    const r = child(
      `${NOISE}
import { resolveOptions } from '@mtcnn/core';
const { runPNetStage } = await import('${PNET_STAGE}');
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';
const backend = await createNodeOnnxBackend({ runtime: 'node' });
const p = await runPNetStage(backend, noise(3000, 2000), resolveOptions({ thresholds: [0, 0.7, 0.7] }), false, () => {});
backend.dispose();
console.log(JSON.stringify({ scales: p.scales.length, kept: p.candidateCount, dropped: p.droppedCount, boxes: p.boxes.length }));
`,
      ['--max-old-space-size=256'],
    );
    expect(r.signal, r.err).toBeNull();
    expect(r.status, r.err).toBe(0);
    const c = JSON.parse(r.out.trim().split('\n').at(-1)!) as { scales: number; kept: number; dropped: number };
    // Every cell passes: 1.06 million over the levels; the three largest levels are capped.
    expect(c.kept + c.dropped).toBeGreaterThan(1_000_000);
    expect(c.kept).toBeLessThanOrEqual(c.scales * 100_000);
    expect(c.dropped).toBeGreaterThan(500_000);
  }, 600_000);

  it("after one large image and 20 small ones the detector's pool holds at most 128 MiB, and nothing after dispose()", () => {
    const r = child(
      `${NOISE}
import { createDetector } from '@mtcnn/core';
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';
const mb = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().arrayBuffers / 2 ** 20; };
const det = createDetector(await createNodeOnnxBackend({ runtime: 'node' }));
const base = mb();
await det.detect(noise(5000, 3000)); // summed-area table 180 MB, level 0 65 MB
const small = noise(320, 240);
for (let i = 0; i < 20; i++) await det.detect(small);
const held = mb() - base;
det.dispose();
const after = mb() - base;
console.log(JSON.stringify({ held, after }));
`,
      ['--expose-gc'],
    );
    expect(r.status, r.err).toBe(0);
    const { held, after } = JSON.parse(r.out.trim().split('\n').at(-1)!) as { held: number; after: number };
    // Before: the 180 MB table and the 65 MB level stayed held (about 245 MB).
    expect(held).toBeLessThanOrEqual(128 + 8);
    expect(after).toBeLessThan(8);
  });
});
