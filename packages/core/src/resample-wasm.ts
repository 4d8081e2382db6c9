import type { PixelLayout } from './backend.js';
import type { RgbImage } from './image.js';
import type { IntegralImage } from './integral.js';
import { AREA_WASM_BASE64 } from './wasm/area-wasm.js';

/**
 * Area resampling in WebAssembly SIMD (wasm/area.wat): the summed-area table of an 8-bit image
 * and the windows inside it, bit for bit what `integralImage` and `resampleAreaIntegral` compute
 * (tested), about 2-3x faster on crops (measured in docs/architecture.md, Performance). The
 * JavaScript paths stay for what the module does not do: windows that leave the image (fill),
 * output pixels summing 2^24 or more (the module converts sums to float32, exact below 2^24), and
 * engines without WebAssembly SIMD (or where a page's policy forbids compiling it).
 */

/** A window in image pixels, half-open (resample.ts's `Window`). */
interface Win {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface AreaExports {
  memory: WebAssembly.Memory;
  sat(img: number, width: number, rows: number, table: number, y0: number): void;
  area(table: number, cols: number, rows: number, outW: number, outH: number, out: number, planar: number): void;
}

/** Output pixels written per `area` call at most (larger outputs go in bands of rows): ~1 MB of memory. */
const BAND_PIXELS = 1 << 16;
/** Output pixels whose window holds more than this many pixels may sum to 2^24 or more. */
export const WASM_MAX_WINDOW = Math.floor((2 ** 24 - 1) / 255);

let compiled: WebAssembly.Module | null | undefined;
/** The compiled module, or null where WebAssembly SIMD is unavailable. Compiled once (645 bytes: synchronous). */
function areaModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly === 'object' && typeof atob === 'function') {
      const bytes = Uint8Array.from(atob(AREA_WASM_BASE64), (c) => c.charCodeAt(0));
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  } catch {
    compiled = null; // e.g. a Content-Security-Policy without 'wasm-unsafe-eval'
  }
  return compiled;
}

/**
 * Instances whose memory (image + table, grown to the largest image seen) is free for the next
 * image. WebAssembly memory never shrinks, so an instance is kept only while its memory is at most
 * `WASM_KEEP_MAX_BYTES` (a 1920x1080 image needs 31 MB): after a 100-megapixel image (1.5 GB) the
 * instance is let go, like the scratch pool's large buffers. At most `KEEP_FREE` are kept (one per
 * concurrent detection), so the module pins at most 128 MiB; `clearWasmArea` lets them all go.
 */
const free: AreaExports[] = [];
const KEEP_FREE = 2;
export const WASM_KEEP_MAX_BYTES = 64 * 2 ** 20;

/** Lets every free instance go (a detector's `dispose`); instances in use are let go when released. */
export function clearWasmArea(): void {
  free.length = 0;
}

/** Bytes of WebAssembly memory held by the free instances. */
export function wasmAreaHeldBytes(): number {
  return free.reduce((n, ex) => n + ex.memory.buffer.byteLength, 0);
}

export interface WasmArea {
  /** The image's summed-area table (a view of the module's memory, valid until `release`). */
  integral(): IntegralImage;
  /**
   * `resampleAreaIntegral` for a window inside the image whose output pixels each sum under 2^24
   * (`fits`), into `out` at `offset`.
   */
  resample(win: Win, outW: number, outH: number, out: Float32Array, offset: number, layout: PixelLayout): void;
  /** Whether `resample` takes this window at this output size. */
  fits(win: Win, outW: number, outH: number): boolean;
  /** Returns the instance to the pool; nothing is used afterwards. */
  release(): void;
}

/** The module on `image` (its table built now), or undefined where WebAssembly SIMD does not run. */
export function wasmArea(image: RgbImage): WasmArea | undefined {
  const mod = areaModule();
  if (!mod || !(image.data instanceof Uint8Array)) return undefined;
  const ex = free.pop() ?? (new WebAssembly.Instance(mod, {}).exports as unknown as AreaExports);
  const { width: W, height: H } = image;
  const align = (n: number): number => (n + 15) & ~15;
  // Memory: the image (+1 byte the SIMD loads may read), the table (+4 bytes written past it), then
  // per call the column and row arrays and the output band.
  const tablePtr = align(W * H * 3 + 1);
  const tableLength = (H + 1) * (W + 1) * 3;
  const scratchPtr = align(tablePtr + tableLength * 4 + 4);
  const ensure = (bytes: number): void => {
    const missing = Math.ceil((bytes - ex.memory.buffer.byteLength) / 65536);
    if (missing > 0) ex.memory.grow(missing);
  };
  ensure(scratchPtr);
  new Uint8Array(ex.memory.buffer, 0, W * H * 3).set(image.data);
  ex.sat(0, W, H, tablePtr, 0);
  const stride = (W + 1) * 12; // bytes per table row
  let ii: IntegralImage | undefined;
  let released = false;
  return {
    integral() {
      // A view of the current buffer (growing the memory detaches the old one).
      if (!ii || ii.table.buffer !== ex.memory.buffer)
        ii = { width: W, height: H, table: new Uint32Array(ex.memory.buffer, tablePtr, tableLength) };
      return ii;
    },
    fits(win, outW, outH) {
      const cw = win.x1 - win.x0;
      const ch = win.y1 - win.y0;
      return (
        win.x0 >= 0 &&
        win.y0 >= 0 &&
        win.x1 <= W &&
        win.y1 <= H &&
        cw > 0 &&
        ch > 0 &&
        outW > 0 &&
        outH > 0 &&
        // An output pixel's window: at most ceil(n / out) + 1 pixels a side.
        (Math.ceil(cw / outW) + 1) * (Math.ceil(ch / outH) + 1) <= WASM_MAX_WINDOW
      );
    },
    resample(win, outW, outH, out, offset, layout) {
      const cw = win.x1 - win.x0;
      const ch = win.y1 - win.y0;
      const planar = layout === 'chw';
      const band = Math.max(1, Math.min(outH, Math.floor(BAND_PIXELS / outW)));
      const colsPtr = scratchPtr;
      const rowsPtr = align(colsPtr + 12 * outW);
      const outPtr = align(rowsPtr + 12 * band);
      ensure(outPtr + band * outW * 12 + 16);
      const buffer = ex.memory.buffer;
      const colInt = new Int32Array(buffer, colsPtr, 3 * outW);
      const colF32 = new Float32Array(buffer, colsPtr, 3 * outW);
      for (let ox = 0; ox < outW; ox++) {
        const s = Math.floor((ox * cw) / outW);
        const e = Math.ceil(((ox + 1) * cw) / outW);
        colInt[ox] = (win.x0 + s) * 12;
        colInt[outW + ox] = (win.x0 + e) * 12;
        colF32[2 * outW + ox] = e - s;
      }
      const rowInt = new Int32Array(buffer, rowsPtr, 3 * band);
      const rowF32 = new Float32Array(buffer, rowsPtr, 3 * band);
      const plane = outW * outH;
      for (let y0 = 0; y0 < outH; y0 += band) {
        const n = Math.min(band, outH - y0);
        for (let k = 0; k < n; k++) {
          const oy = y0 + k;
          const s = Math.floor((oy * ch) / outH);
          const e = Math.ceil(((oy + 1) * ch) / outH);
          rowInt[k] = (win.y0 + s) * stride;
          rowInt[n + k] = (win.y0 + e) * stride;
          rowF32[2 * n + k] = e - s;
        }
        ex.area(tablePtr, colsPtr, rowsPtr, outW, n, outPtr, planar ? 1 : 0);
        const got = new Float32Array(buffer, outPtr, n * outW * 3);
        if (!planar) out.set(got, offset + y0 * outW * 3);
        else
          for (let c = 0; c < 3; c++)
            out.set(got.subarray(c * n * outW, (c + 1) * n * outW), offset + c * plane + y0 * outW);
      }
    },
    release() {
      if (released) return;
      released = true;
      ii = undefined;
      if (free.length < KEEP_FREE && ex.memory.buffer.byteLength <= WASM_KEEP_MAX_BYTES) free.push(ex);
    },
  };
}
