import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { integralImage } from './integral.js';
import { areaSampler, resampleAreaIntegral, type Window } from './resample.js';
import { clearWasmArea, WASM_KEEP_MAX_BYTES, WASM_MAX_WINDOW, wasmArea, wasmAreaHeldBytes } from './resample-wasm.js';

function randomImage(width: number, height: number, seed: number) {
  let s = seed;
  const data = new Uint8Array(width * height * 3).map(() => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 24) & 255;
  });
  return { data, width, height };
}

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe('wasmArea (WebAssembly SIMD area resampling)', () => {
  it('runs in Node (WebAssembly SIMD), and its table is integralImage bit for bit', () => {
    for (const [w, h] of [
      [1, 1],
      [97, 61],
      [320, 7],
    ]) {
      const img = randomImage(w, h, w * 31 + h);
      const wasm = wasmArea(img);
      expect(wasm).toBeDefined();
      expect(Array.from(wasm!.integral().table)).toEqual(Array.from(integralImage(img).table));
      wasm!.release();
    }
  });

  it('resamples every window inside the image as resampleAreaIntegral does, bit for bit, in both layouts', () => {
    const img = randomImage(397, 261, 3);
    const ii = integralImage(img);
    const wasm = wasmArea(img)!;
    const cases: [Window, number, number][] = [
      [{ x0: 0, y0: 0, x1: 397, y1: 261 }, 239, 157], // a pyramid level (0.6): 2-3 pixel windows
      [{ x0: 0, y0: 0, x1: 397, y1: 261 }, 23, 16], // a small level: 17x17-pixel windows
      [{ x0: 0, y0: 0, x1: 397, y1: 261 }, 500, 300], // upsampling, and more rows than one band (65,536 pixels)
      [{ x0: 10, y0: 5, x1: 50, y1: 45 }, 24, 24], // an R-Net crop
      [{ x0: 200, y0: 100, x1: 397, y1: 261 }, 48, 48], // an O-Net crop at the bottom-right edge
      [{ x0: 3, y0: 4, x1: 5, y1: 6 }, 24, 24], // a 2x2 window stretched
      [{ x0: 0, y0: 0, x1: 1, y1: 1 }, 1, 1],
    ];
    for (const layout of ['hwc', 'chw'] as const) {
      for (const [win, w, h] of cases) {
        expect(wasm.fits(win, w, h)).toBe(true);
        const want = new Float32Array(5 + w * h * 3);
        const got = new Float32Array(5 + w * h * 3).fill(7);
        want.fill(7);
        resampleAreaIntegral(ii, win, w, h, want, 5, layout);
        wasm.resample(win, w, h, got, 5, layout);
        expect(bits(got)).toEqual(bits(want)); // the 5 values before the offset untouched too
      }
    }
    wasm.release();
  });

  it('leaves to JavaScript the windows that leave the image, are empty, or whose output pixels may sum to 2^24', () => {
    const img = randomImage(40, 30, 5);
    const wasm = wasmArea(img)!;
    expect(wasm.fits({ x0: -1, y0: 0, x1: 10, y1: 10 }, 24, 24)).toBe(false);
    expect(wasm.fits({ x0: 35, y0: 0, x1: 41, y1: 10 }, 24, 24)).toBe(false);
    expect(wasm.fits({ x0: 5, y0: 5, x1: 5, y1: 10 }, 24, 24)).toBe(false);
    wasm.release();
    const big = { data: new Uint8Array(300 * 300 * 3), width: 300, height: 300 };
    const w2 = wasmArea(big)!;
    // 260 x 260 pixels of up to 255 each can sum past 2^24 - 1 (the bound counts a side's pixels + 1).
    expect(255 * 260 * 260).toBeGreaterThan(2 ** 24 - 1);
    expect(261 * 261).toBeGreaterThan(WASM_MAX_WINDOW);
    expect(w2.fits({ x0: 0, y0: 0, x1: 260, y1: 260 }, 1, 1)).toBe(false);
    expect(w2.fits({ x0: 0, y0: 0, x1: 200, y1: 200 }, 1, 1)).toBe(true);
    w2.release();
  });

  it(
    'gives areaSampler the same values with and without WebAssembly, ' +
      'windows outside (fill) and released instances reused',
    () => {
      for (let round = 0; round < 3; round++) {
        // Images of different sizes one after the other: a reused instance's memory holds the last one's data.
        const img = randomImage(120 - 30 * round, 80 + 10 * round, round + 11);
        const windows: [Window, number, number, number][] = [
          [{ x0: 0, y0: 0, x1: img.width, y1: img.height }, 50, 34, 0],
          [{ x0: -7, y0: -3, x1: 30, y1: 34 }, 24, 24, 0],
          [{ x0: 60, y0: 40, x1: img.width + 9, y1: img.height + 4 }, 48, 48, 127.5],
          [{ x0: 10, y0: 10, x1: 34, y1: 40 }, 24, 24, 0],
        ];
        const withWasm = areaSampler(img);
        const plain = areaSampler(img, undefined, { wasm: false });
        for (const layout of ['hwc', 'chw'] as const) {
          for (const [win, w, h, fill] of windows) {
            const a = new Float32Array(w * h * 3);
            const b = new Float32Array(w * h * 3);
            withWasm.resample(win, w, h, a, 0, layout, fill);
            plain.resample(win, w, h, b, 0, layout, fill);
            expect(bits(a)).toEqual(bits(b));
          }
        }
        withWasm.release();
        plain.release();
      }
    },
  );

  it(
    'keeps released instances only up to 64 MiB of memory ' + 'each, two at most, and lets them go on clearWasmArea',
    () => {
      clearWasmArea();
      // 4800x3000: 43 MB of image and 173 MB of table, more than an instance is kept with.
      const large = wasmArea({ data: new Uint8Array(4800 * 3000 * 3), width: 4800, height: 3000 })!;
      large.release();
      expect(wasmAreaHeldBytes()).toBe(0);
      // Three 640x480 images at once (0.9 + 3.7 MB each): two instances are kept after.
      const small = [1, 2, 3].map((seed) => wasmArea(randomImage(640, 480, seed))!);
      for (const s of small) s.release();
      const held = wasmAreaHeldBytes();
      expect(held).toBeGreaterThan(2 * 4.6e6);
      expect(held).toBeLessThanOrEqual(2 * WASM_KEEP_MAX_BYTES);
      // A kept instance is reused by the next image (its memory is not grown again).
      const again = wasmArea(randomImage(640, 480, 4))!;
      expect(wasmAreaHeldBytes()).toBeLessThan(held);
      again.release();
      expect(wasmAreaHeldBytes()).toBe(held);
      clearWasmArea();
      expect(wasmAreaHeldBytes()).toBe(0);
    },
  );

  it('holds the compilation of area.wat (scripts/build-wasm.mjs --check)', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toContain('up to date');
  });
});
