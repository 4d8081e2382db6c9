import type { PixelLayout } from './backend.js';
import type { RgbImage } from './image.js';
import { INTEGRAL_MAX_WINDOW, integralImage, type IntegralImage } from './integral.js';
import { wasmArea, type WasmArea } from './resample-wasm.js';
import { noScratch, type Scratch } from './scratch.js';

/**
 * Area resampling (PyTorch's adaptive average pooling, the reference's `interpolate(mode='area')`)
 * and MTCNN's input normalisation, fused: pipeline step 4 (docs/architecture.md).
 *
 * Output pixel i averages source pixels `[floor(i*n/out), ceil((i+1)*n/out))` with equal weights.
 * The sum is separable and, for 8-bit images, exact in float64 whatever the order, so summing rows
 * first gives the reference's sums bit for bit; the average is then `sum / kh / kw` in float32
 * (the reference's own rounding), and the normalisation `(v - 127.5) * 0.0078125` in float32.
 */

/** A source window in image pixels, half-open: columns `[x0, x1)`, rows `[y0, y1)`. May leave the image. */
export interface Window {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const start = (i: number, n: number, out: number): number => Math.floor((i * n) / out);
const end = (i: number, n: number, out: number): number => Math.ceil(((i + 1) * n) / out);

/**
 * Resample `win` of `image` to `outW` x `outH`, normalised, into `out` at `offset` (HWC, RGB; or
 * three planes with `layout` `chw`). Pixels of the window outside the image count as `fill`
 * (0..255: 0 = black for zero-pad, 127.5 = grey for grey-pad). Callers wanting the stretch mode
 * clamp the window to the image first.
 */
export function resampleArea(
  image: RgbImage,
  win: Window,
  outW: number,
  outH: number,
  out: Float32Array,
  offset = 0,
  layout: PixelLayout = 'hwc',
  fill = 0,
): void {
  const { data, width: W, height: H } = image;
  const cw = win.x1 - win.x0;
  const ch = win.y1 - win.y0;
  if (cw <= 0 || ch <= 0) {
    // An empty window has no pixels: the reference would fail; we give the crop of the fill colour.
    out.fill(Math.fround(Math.fround(fill - 127.5) * 0.0078125), offset, offset + outW * outH * 3);
    return;
  }
  // Horizontal pass: per source row of the window, the sums over each output column's window.
  const rows = new Float64Array(ch * outW * 3);
  for (let r = 0; r < ch; r++) {
    const y = win.y0 + r;
    const dst = r * outW * 3;
    if (y < 0 || y >= H) {
      // A row outside the image: every pixel is the fill.
      if (fill !== 0)
        for (let ox = 0; ox < outW; ox++)
          rows.fill(fill * (end(ox, cw, outW) - start(ox, cw, outW)), dst + ox * 3, dst + ox * 3 + 3);
      continue;
    }
    const rowBase = y * W * 3;
    for (let ox = 0; ox < outW; ox++) {
      const a0 = win.x0 + start(ox, cw, outW);
      const b0 = win.x0 + end(ox, cw, outW);
      const a = Math.max(a0, 0);
      const b = Math.min(b0, W);
      // The window's columns outside the image count as the fill (exact: multiples of 0.5).
      const pad = fill * (b0 - a0 - Math.max(0, b - a));
      let s0 = pad;
      let s1 = pad;
      let s2 = pad;
      for (let x = a, p = rowBase + a * 3; x < b; x++, p += 3) {
        s0 += data[p];
        s1 += data[p + 1];
        s2 += data[p + 2];
      }
      const d = dst + ox * 3;
      rows[d] = s0;
      rows[d + 1] = s1;
      rows[d + 2] = s2;
    }
  }
  // Vertical pass, then average and normalise in float32.
  const rowLen = outW * 3;
  const plane = outW * outH;
  const kws = new Float64Array(outW);
  for (let ox = 0; ox < outW; ox++) kws[ox] = end(ox, cw, outW) - start(ox, cw, outW);
  for (let oy = 0; oy < outH; oy++) {
    const a = start(oy, ch, outH);
    const b = end(oy, ch, outH);
    const kh = b - a;
    const dst = offset + oy * rowLen;
    for (let j = 0; j < rowLen; j++) {
      let s = 0;
      for (let r = a, p = a * rowLen + j; r < b; r++, p += rowLen) s += rows[p];
      const ox = (j / 3) | 0;
      const v = Math.fround(Math.fround(Math.fround(s) / kh) / kws[ox]);
      const o = layout === 'hwc' ? dst + j : offset + (j - ox * 3) * plane + oy * outW + ox;
      out[o] = Math.fround(Math.fround(v - 127.5) * 0.0078125);
    }
  }
}

/** Windows up to this many pixels get a lookup table (`areaLut`): 64 KB at most per window shape. */
const LUT_MAX_WINDOW = 64;
/**
 * Every lookup table built so far, one after the other in one array (so that the inner loop reads
 * one typed array whatever the window shape), and where each starts, by `kh * (LUT_MAX_WINDOW + 1) + kw`.
 */
let lutStore = new Float32Array(0);
let lutUsed = 0;
const lutStart = new Int32Array((LUT_MAX_WINDOW + 1) * (LUT_MAX_WINDOW + 1)).fill(-1);

/** Where the table of a `kh` x `kw` window starts in `lutStore` (built on first use), or -1 over 64 pixels. */
function lutOffset(kh: number, kw: number): number {
  if (kh * kw > LUT_MAX_WINDOW) return -1;
  const key = kh * (LUT_MAX_WINDOW + 1) + kw;
  let at = lutStart[key];
  if (at >= 0) return at;
  const n = 255 * kh * kw + 1;
  if (lutUsed + n > lutStore.length) {
    const grown = new Float32Array(Math.max(2 * lutStore.length, lutUsed + n, 65536));
    grown.set(lutStore.subarray(0, lutUsed));
    lutStore = grown;
  }
  at = lutUsed;
  for (let s = 0; s < n; s++)
    lutStore[at + s] = Math.fround(Math.fround(Math.fround(Math.fround(s / kh) / kw) - 127.5) * 0.0078125);
  lutUsed += n;
  lutStart[key] = at;
  return at;
}

/**
 * For a `kh` x `kw` window, the output value of every possible integer sum `s` (0..255 kh kw):
 * `norm(fround(fround(s / kh) / kw))`, exactly what `resampleAreaIntegral` computes per value, so
 * one lookup replaces two divisions and four roundings. Built on first use, kept for the process
 * (the shapes are few: pyramid levels and crops reuse them; at most ~10 MB for all of them).
 */
export function areaLut(kh: number, kw: number): Float32Array | undefined {
  const at = lutOffset(kh, kw);
  if (at < 0) return undefined;
  const key = kh * (LUT_MAX_WINDOW + 1) + kw;
  let view = lutViews.get(key);
  if (!view) {
    view = lutStore.slice(at, at + 255 * kh * kw + 1);
    lutViews.set(key, view);
  }
  return view;
}
const lutViews = new Map<number, Float32Array>();

/** Per-column work arrays of `resampleAreaIntegral`, reused from call to call (it runs once per crop). */
let colA = new Int32Array(64);
let colB = new Int32Array(64);
let colW = new Int32Array(64);
let colLut = new Int32Array(64);

/**
 * The same resampling from a summed-area table: 4 lookups per output value instead of one add per
 * input pixel. Bit-identical to `resampleArea` for 8-bit images (integer sums are exact).
 */
export function resampleAreaIntegral(
  ii: IntegralImage,
  win: Window,
  outW: number,
  outH: number,
  out: Float32Array,
  offset = 0,
  layout: PixelLayout = 'hwc',
  fill = 0,
): void {
  const { width: W, height: H } = ii;
  const cw = win.x1 - win.x0;
  const ch = win.y1 - win.y0;
  if (cw <= 0 || ch <= 0) {
    out.fill(Math.fround(Math.fround(fill - 127.5) * 0.0078125), offset, offset + outW * outH * 3);
    return;
  }
  // Int32 view of the table: loads and differences stay int32 in V8; `| 0` / `>>> 0` recover the
  // window sums modulo 2^32 (exact, see integral.ts).
  const table = new Int32Array(ii.table.buffer, ii.table.byteOffset, ii.table.length);
  const stride = (W + 1) * 3;
  if (colA.length < outW) {
    const n = Math.max(outW, 2 * colA.length);
    colA = new Int32Array(n);
    colB = new Int32Array(n);
    colW = new Int32Array(n);
    colLut = new Int32Array(n);
  }
  // Per output column: the window's size, and its part inside the image as table offsets.
  const xa = colA;
  const xb = colB;
  const kws = colW;
  const lutCol = colLut;
  const inside = win.x0 >= 0 && win.x1 <= W && win.y0 >= 0 && win.y1 <= H;
  for (let ox = 0; ox < outW; ox++) {
    const s = start(ox, cw, outW);
    const e = end(ox, cw, outW);
    kws[ox] = e - s;
    xa[ox] = Math.min(Math.max(win.x0 + s, 0), W) * 3;
    xb[ox] = Math.min(Math.max(win.x0 + e, 0), W) * 3;
  }
  const planar = layout === 'chw';
  const step = planar ? 1 : 3;
  const g = planar ? outW * outH : 1;
  const g2 = 2 * g;
  // Lookup tables by column for the current row's window height (rows have 2-3 distinct heights);
  // -1 where the window is too large for one (divisions then).
  let lutKh = -1;
  let allLut = false;
  for (let oy = 0; oy < outH; oy++) {
    const s = start(oy, ch, outH);
    const e = end(oy, ch, outH);
    const kh = e - s;
    const top = Math.min(Math.max(win.y0 + s, 0), H) * stride;
    const bottom = Math.min(Math.max(win.y0 + e, 0), H) * stride;
    let o = offset + oy * outW * (planar ? 1 : 3);
    if (inside && kh !== lutKh) {
      allLut = true;
      for (let ox = 0; ox < outW; ox++) {
        lutCol[ox] = lutOffset(kh, kws[ox]);
        if (lutCol[ox] < 0) allLut = false;
      }
      lutKh = kh;
    }
    if (inside && allLut) {
      // Window inside the image (every pyramid level, most crops), small windows: one lookup per value.
      const lut = lutStore;
      for (let ox = 0; ox < outW; ox++, o += step) {
        const a = xa[ox];
        const b = xb[ox];
        const l = lutCol[ox];
        const ta = top + a;
        const tb = top + b;
        const ba = bottom + a;
        const bb = bottom + b;
        // Windows of at most 64 pixels: sums under 2^31, so `| 0` is the sum itself.
        out[o] = lut[l + ((table[bb] - table[ba] - table[tb] + table[ta]) | 0)];
        out[o + g] = lut[l + ((table[bb + 1] - table[ba + 1] - table[tb + 1] + table[ta + 1]) | 0)];
        out[o + g2] = lut[l + ((table[bb + 2] - table[ba + 2] - table[tb + 2] + table[ta + 2]) | 0)];
      }
      continue;
    }
    if (inside) {
      for (let ox = 0; ox < outW; ox++, o += step) {
        const a = xa[ox];
        const b = xb[ox];
        const l = lutCol[ox];
        // Modulo 2^32: exact for windows under INTEGRAL_MAX_WINDOW pixels.
        const r = (table[bottom + b] - table[bottom + a] - table[top + b] + table[top + a]) >>> 0;
        const gr = (table[bottom + b + 1] - table[bottom + a + 1] - table[top + b + 1] + table[top + a + 1]) >>> 0;
        const bl = (table[bottom + b + 2] - table[bottom + a + 2] - table[top + b + 2] + table[top + a + 2]) >>> 0;
        if (l >= 0) {
          out[o] = lutStore[l + r];
          out[o + g] = lutStore[l + gr];
          out[o + g2] = lutStore[l + bl];
        } else {
          const kw = kws[ox];
          out[o] = Math.fround(Math.fround(Math.fround(Math.fround(r / kh) / kw) - 127.5) * 0.0078125);
          out[o + g] = Math.fround(Math.fround(Math.fround(Math.fround(gr / kh) / kw) - 127.5) * 0.0078125);
          out[o + g2] = Math.fround(Math.fround(Math.fround(Math.fround(bl / kh) / kw) - 127.5) * 0.0078125);
        }
      }
      continue;
    }
    const insideRows = (bottom - top) / stride;
    for (let ox = 0; ox < outW; ox++, o += step) {
      const a = xa[ox];
      const b = xb[ox];
      const kw = kws[ox];
      // The window's pixels outside the image count as the fill.
      const pad = fill === 0 ? 0 : fill * (kh * kw - insideRows * ((b - a) / 3));
      for (let c = 0; c < 3; c++) {
        // Modulo 2^32: exact for windows under INTEGRAL_MAX_WINDOW pixels.
        const sum =
          ((table[bottom + b + c] - table[bottom + a + c] - table[top + b + c] + table[top + a + c]) >>> 0) + pad;
        const v = Math.fround(Math.fround(sum / kh) / kw);
        out[o + c * g] = Math.fround(Math.fround(v - 127.5) * 0.0078125);
      }
    }
  }
}

/**
 * Resampling of one image, many times (every pyramid level, every crop). 8-bit images get a
 * summed-area table built once; other images (float pixels) sum directly.
 */
export interface AreaSampler {
  /** `fill`: the 0..255 value of pixels outside the image (see `resampleArea`). */
  resample(
    win: Window,
    outW: number,
    outH: number,
    out: Float32Array,
    offset?: number,
    layout?: PixelLayout,
    fill?: number,
  ): void;
  /** Gives the table back to the pool it came from; the sampler is not used afterwards. */
  release(): void;
}

export interface AreaSamplerOptions {
  /**
   * Resample in WebAssembly SIMD where it runs (resample-wasm.ts; same values bit for bit). Default
   * true; false keeps everything in JavaScript.
   */
  wasm?: boolean;
}

export function areaSampler(
  image: RgbImage,
  scratch: Scratch = noScratch,
  options: AreaSamplerOptions = {},
): AreaSampler {
  if (!(image.data instanceof Uint8Array) || image.width * image.height === 0) {
    return {
      resample: (win, outW, outH, out, offset = 0, layout = 'hwc', fill = 0) =>
        resampleArea(image, win, outW, outH, out, offset, layout, fill),
      release() {},
    };
  }
  let ii: IntegralImage | undefined;
  /** The WebAssembly module on this image (its table), built on first use; null where it does not run. */
  let wasm: WasmArea | null | undefined = options.wasm === false ? null : undefined;
  return {
    resample(win, outW, outH, out, offset = 0, layout = 'hwc', fill = 0) {
      if ((win.x1 - win.x0) * (win.y1 - win.y0) > INTEGRAL_MAX_WINDOW) {
        resampleArea(image, win, outW, outH, out, offset, layout, fill); // beyond the table's exact range
        return;
      }
      if (wasm === undefined) wasm = wasmArea(image) ?? null;
      if (wasm) {
        // Windows inside the image in WebAssembly; the others in JavaScript on the same table.
        if (wasm.fits(win, outW, outH)) wasm.resample(win, outW, outH, out, offset, layout);
        else resampleAreaIntegral(wasm.integral(), win, outW, outH, out, offset, layout, fill);
        return;
      }
      ii ??= integralImage(image, scratch.uint32((image.height + 1) * (image.width + 1) * 3));
      resampleAreaIntegral(ii, win, outW, outH, out, offset, layout, fill);
    },
    release() {
      if (ii) scratch.give(ii.table);
      ii = undefined;
      wasm?.release();
      if (wasm) wasm = null;
    },
  };
}

/** Resample the whole image to `outW` x `outH` (one pyramid level), normalised. */
export function resampleImage(
  image: RgbImage,
  outW: number,
  outH: number,
  sampler: AreaSampler = areaSampler(image),
  layout: PixelLayout = 'hwc',
  scratch: Scratch = noScratch,
): Float32Array {
  const out = scratch.float32(outW * outH * 3);
  sampler.resample({ x0: 0, y0: 0, x1: image.width, y1: image.height }, outW, outH, out, 0, layout);
  return out;
}
