import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { run } from './program.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLE = join(ROOT, 'examples/astronaut-collage.jpg');
const TRUNCATED = join(ROOT, '../shared/images/public/truncated.jpg');
const DEV = join(ROOT, '../shared/images/dev/');

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// The collage is the astronaut photo pasted at 4 sizes (scripts/make-sample.mjs): tiles as [side, left, top].
const TILES = [
  [384, 16, 16],
  [224, 416, 16],
  [128, 656, 16],
  [96, 416, 256],
];

describe('mtcnn --version', () => {
  it("prints the package's version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = await cli(flag);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(version);
    }
  });
});

describe('mtcnn detect', () => {
  it('prints one JSON array with one face per astronaut tile, largest first', async () => {
    const { code, stdout, stderr } = await cli('detect', SAMPLE);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ file: SAMPLE, width: 800, height: 416 });
    expect(out[0].stages).toBeUndefined();
    const faces = out[0].faces as { box: number[]; confidence: number; keypoints: Record<string, number[]> }[];
    expect(faces).toHaveLength(4);
    faces.forEach((f, i) => {
      const [side, left, top] = TILES[i];
      const [x, y, w, h] = f.box;
      // Face centre inside its tile, face side a fraction of the tile's.
      expect(x + w / 2).toBeGreaterThan(left);
      expect(x + w / 2).toBeLessThan(left + side);
      expect(y + h / 2).toBeGreaterThan(top);
      expect(y + h / 2).toBeLessThan(top + side);
      expect(w / side).toBeGreaterThan(0.1);
      expect(w / side).toBeLessThan(0.3);
      expect(f.confidence).toBeGreaterThan(0.9);
      expect(Object.keys(f.keypoints)).toEqual(['left_eye', 'right_eye', 'nose', 'mouth_left', 'mouth_right']);
      expect(f.keypoints.left_eye[0]).toBeLessThan(f.keypoints.right_eye[0]);
    });
    expect(stderr).toContain('4 faces');
  });

  it('adds stages with --stats and switches box format with --box-format xyxy', async () => {
    const a = JSON.parse((await cli('detect', '--stats', '-q', SAMPLE)).stdout)[0];
    expect(Object.keys(a.stages)).toEqual(['scales', 'pnet', 'pnet_nms', 'rnet', 'rnet_nms', 'onet', 'faces']);
    expect(a.stages.faces).toBe(a.faces.length);
    const b = JSON.parse((await cli('detect', '--box-format', 'xyxy', '-q', SAMPLE)).stdout)[0];
    const [x, y, w, h] = a.faces[0].box;
    expect(b.faces[0].box).toEqual([x, y, x + w, y + h].map((v, i) => (i < 2 ? v : expect.closeTo(v, 9))));
  });

  it.skipIf(!existsSync(TRUNCATED))('records a bad file in its input position, goes on, and exits 1', async () => {
    const { code, stdout, stderr } = await cli('detect', '-q', SAMPLE, TRUNCATED, SAMPLE);
    expect(code).toBe(1);
    const out = JSON.parse(stdout);
    expect(out).toHaveLength(3);
    expect(out[0].faces).toHaveLength(4);
    expect(out[1]).toEqual({
      file: TRUNCATED,
      error: { code: 'DECODE_FAILED', message: expect.stringContaining('truncated.jpg') },
    });
    expect(out[2].faces).toHaveLength(4);
    expect(stderr).toBe('');
  });

  it('rejects invalid options before running, with exit code 2 and a message on stderr', async () => {
    const small = await cli('detect', '--min-face', '5', SAMPLE);
    expect(small.code).toBe(2);
    expect(small.stdout).toBe('');
    expect(small.stderr).toContain('INVALID_OPTION');
    expect(small.stderr).toContain('minFaceSize');
    const bad = await cli('detect', '--thresholds', '0.6,0.7', SAMPLE);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('3 comma-separated numbers');
    const backend = await cli('detect', '--backend', 'nope', SAMPLE);
    expect(backend.code).not.toBe(0);
    expect(backend.stderr).toMatch(/Allowed choices are .*tfjs-wasm/);
  });

  it('writes annotated PNGs of the image size with --annotate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtcnn-annotate-'));
    const { code } = await cli('detect', '-q', '--annotate', dir, SAMPLE);
    expect(code).toBe(0);
    const meta = await sharp(readFileSync(join(dir, 'astronaut-collage.png'))).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 800, 416]);
    // The drawing changed pixels: the annotated image differs from the source.
    const a = await sharp(join(dir, 'astronaut-collage.png')).removeAlpha().raw().toBuffer();
    const b = await sharp(SAMPLE).raw().toBuffer();
    expect(a.equals(b)).toBe(false);
  });

  it('--box-format xyxy --annotate draws the same rectangles as xywh (was: x2, y2 read as width, height)', async () => {
    const png = async (...flags: string[]) => {
      const dir = mkdtempSync(join(tmpdir(), 'mtcnn-annotate-'));
      expect((await cli('detect', '-q', ...flags, '--annotate', dir, SAMPLE)).code).toBe(0);
      return sharp(join(dir, 'astronaut-collage.png')).raw().toBuffer();
    };
    const [xywh, xyxy] = [await png('--box-format', 'xywh'), await png('--box-format', 'xyxy')];
    expect(xyxy.equals(xywh)).toBe(true);
  });

  it.skipIf(!existsSync(DEV))('matches the reference stage counts for ivan.jpg with --preset reference', async () => {
    const oracle = JSON.parse(readFileSync(join(DEV, 'oracle-facenet.json'), 'utf8')).images['ivan.jpg'];
    const out = JSON.parse(
      (await cli('detect', '--preset', 'reference', '--stats', '-q', join(DEV, 'ivan.jpg'))).stdout,
    )[0];
    expect(out.stages).toMatchObject({
      scales: oracle.stages.pyramid.length,
      rnet: oracle.stages.rnet_pass_thr,
      faces: oracle.faces.length,
    });
    const [x1, y1, x2, y2] = oracle.faces[0].box;
    const [x, y, w, h] = out.faces[0].box;
    for (const [a, b] of [
      [x, x1],
      [y, y1],
      [x + w, x2],
      [y + h, y2],
    ])
      expect(Math.abs(a - b)).toBeLessThan(1e-3);
  });
});

describe('mtcnn detect --backend', () => {
  const faces = async (backend: string) => {
    const { code, stdout } = await cli('detect', '--backend', backend, '-q', SAMPLE);
    expect(code).toBe(0);
    return JSON.parse(stdout)[0].faces as { box: number[]; confidence: number }[];
  };

  it.each(['onnx', 'onnx-wasm'])('%s finds the faces tfjs-wasm finds', async (backend) => {
    const [got, want] = await Promise.all([faces(backend), faces('tfjs-wasm')]);
    expect(got).toHaveLength(4);
    expect(got.length).toBe(want.length);
    got.forEach((f, i) => {
      f.box.forEach((v, k) => {
        expect(Math.abs(v - want[i].box[k])).toBeLessThan(1e-3);
      });
      expect(Math.abs(f.confidence - want[i].confidence)).toBeLessThan(1e-4);
    });
  });

  it('an unknown backend is a usage error (exit 2) listing the registry', async () => {
    const { code, stderr } = await cli('detect', '--backend', 'tfjs-webgl', SAMPLE);
    expect(code).toBe(2);
    expect(stderr).toContain('tfjs-wasm, tfjs-cpu, onnx, onnx-wasm');
  });
});
