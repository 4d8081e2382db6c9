/**
 * Boxes on a pixel edge, decided by a second backend (the `reference` preset).
 *
 * A stage's regressed, squared box is cut into the next stage's crop window by truncation
 * (crop.ts). When a coordinate lands within a few ulps of an integer, the last bits of the
 * networks' regressions decide which pixel window the next stage sees, and runtimes sum their
 * convolutions in different orders: on 2 of 4,056 FDDB faces the fast backends crop one pixel
 * off the reference (img_379: an O-Net input's x2 = 300.99994, the reference's 301.0; img_1252:
 * 101.0 against 100.99998). The plain-JavaScript tfjs backend (`tfjs-cpu`) matches the reference
 * on all of them. `withExactEdges` pairs a fast backend with such an exact one: under the
 * `reference` preset, the detector recomputes with the exact backend the offsets behind each box
 * that lands on an edge (a handful per image): P-Net's, from the same 12x12 window of the same
 * level, and, for an R-Net box, R-Net's on the same crop. Scores are not recomputed, so
 * thresholds and NMS stay the fast backend's.
 */
import type { MtcnnBackend, PixelLayout } from './backend.js';
import type { Box } from './box.js';

/**
 * How close to an integer (in pixels) a box coordinate counts as on an edge. Backends differ by
 * a few float32 ulps of a regression times the box side (measured: up to 6e-5 px); 2e-3 px leaves
 * a wide margin, and about 1 box in 60 is recomputed.
 */
export const EDGE_EPSILON = 2e-3;

/** A backend whose boxes on a pixel edge are decided by `exact` (see the module's comment). */
export interface ExactEdgesBackend extends MtcnnBackend {
  readonly exact: MtcnnBackend;
}

/** Whether any coordinate of `box` is within `epsilon` of an integer (where truncation flips). */
export function onPixelEdge(box: Box, epsilon = EDGE_EPSILON): boolean {
  for (const c of box) if (Math.abs(c - Math.round(c)) <= epsilon) return true;
  return false;
}

/**
 * `fast` for every network run, `exact` for the boxes on a pixel edge under the `reference`
 * preset. `exact` may be a factory: it is then called the first time an edge is met (never under
 * the default preset), once. `dispose()` disposes both.
 */
export function withExactEdges(
  fast: MtcnnBackend,
  exact: MtcnnBackend | (() => Promise<MtcnnBackend>),
): ExactEdgesBackend {
  const second = typeof exact === 'function' ? lazyBackend(`${fast.name} edges`, exact) : exact;
  return {
    name: fast.name,
    pixelLayout: fast.pixelLayout,
    inFlight: fast.inFlight,
    exact: second,
    runPNet: (level, height, width, layout) => fast.runPNet(level, height, width, layout),
    runRNet: (crops, count, layout) => fast.runRNet(crops, count, layout),
    runONet: (crops, count, layout) => fast.runONet(crops, count, layout),
    dispose() {
      fast.dispose();
      second.dispose();
    },
  };
}

/** The exact backend of `backend` (`withExactEdges`), if it has one. */
export function exactOf(backend: MtcnnBackend): MtcnnBackend | undefined {
  return (backend as Partial<ExactEdgesBackend>).exact;
}

/** A backend created on its first call; a failed creation is retried on the next call. */
function lazyBackend(name: string, create: () => Promise<MtcnnBackend>): MtcnnBackend {
  let made: Promise<MtcnnBackend> | undefined;
  let disposed = false;
  const get = (): Promise<MtcnnBackend> => {
    if (disposed) return Promise.reject(new Error(`${name}: the backend was disposed`));
    made ??= create().catch((e: unknown) => {
      made = undefined;
      throw e;
    });
    return made;
  };
  return {
    name,
    runPNet: async (level, height, width, layout) => (await get()).runPNet(level, height, width, layout),
    runRNet: async (crops, count, layout) => (await get()).runRNet(crops, count, layout),
    runONet: async (crops, count, layout) => (await get()).runONet(crops, count, layout),
    dispose() {
      if (disposed) return;
      disposed = true;
      void made?.then(
        (b) => b.dispose(),
        () => undefined,
      );
    },
  };
}

/**
 * The input window of one P-Net cell, HWC: 12x12, or 11 wide (high) for a cell on the right
 * (bottom) edge of an odd-sized level, whose last max-pool window (ceil mode) covers one column
 * (row) only.
 */
export interface PNetWindow {
  data: Float32Array;
  height: number;
  width: number;
}

/** The window of P-Net cell (x, y) of a level (`height` x `width`, in `layout`): the pixels its outputs come from. */
export function pnetWindow(
  level: Float32Array,
  height: number,
  width: number,
  layout: PixelLayout,
  x: number,
  y: number,
): PNetWindow {
  const h = Math.min(12, height - 2 * y);
  const w = Math.min(12, width - 2 * x);
  const data = new Float32Array(h * w * 3);
  for (let r = 0; r < h; r++) {
    const row = 2 * y + r;
    for (let c = 0; c < w; c++) {
      const col = 2 * x + c;
      for (let ch = 0; ch < 3; ch++) {
        data[(r * w + c) * 3 + ch] =
          layout === 'chw' ? level[(ch * height + row) * width + col] : level[(row * width + col) * 3 + ch];
      }
    }
  }
  return { data, height: h, width: w };
}

/**
 * P-Net's offsets for each window, as the cell computes them on its own level: each output is
 * computed from its window alone (edges.test.ts checks this on tfjs-cpu, bit for bit). The 12x12
 * windows go in one call, side by side in a 12 x 12n level whose cell (6j, 0) sees window j
 * (stride 2). An edge cell's narrower window goes alone, at the bottom right of a level that ends
 * where it does, so that its last pool window is cut as on its own level.
 */
export async function pnetOffsetsOf(backend: MtcnnBackend, windows: readonly PNetWindow[]): Promise<Float32Array[]> {
  const result: Float32Array[] = new Array<Float32Array>(windows.length);
  const full = windows.flatMap((w, j) => (w.height === 12 && w.width === 12 ? [j] : []));
  if (full.length > 0) {
    const n = full.length;
    const strip = new Float32Array(12 * 12 * n * 3);
    full.forEach((j, k) => {
      const d = windows[j].data;
      for (let r = 0; r < 12; r++) strip.set(d.subarray(r * 36, r * 36 + 36), (r * 12 * n + 12 * k) * 3);
    });
    const out = await backend.runPNet(strip, 12, 12 * n, 'hwc');
    full.forEach((j, k) => {
      result[j] = out.reg.slice(6 * k * 4, 6 * k * 4 + 4);
    });
  }
  for (const [j, w] of windows.entries()) {
    if (result[j]) continue;
    const height = w.height < 12 ? 12 + w.height : 12;
    const width = w.width < 12 ? 12 + w.width : 12;
    const level = new Float32Array(height * width * 3);
    for (let r = 0; r < w.height; r++) {
      const at = ((height - w.height + r) * width + width - w.width) * 3;
      level.set(w.data.subarray(r * w.width * 3, (r + 1) * w.width * 3), at);
    }
    const out = await backend.runPNet(level, height, width, 'hwc');
    const cell = (w.height < 12 ? 6 : 0) * out.width + (w.width < 12 ? 6 : 0);
    result[j] = out.reg.slice(cell * 4, cell * 4 + 4);
  }
  return result;
}
