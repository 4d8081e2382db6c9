/**
 * A direct, slow JavaScript MTCNN over the weights AS STORED, applying the weights' layout
 * (docs/architecture.md) by hand (kernel index `w[x][y][i][o]`, flatten order (W, H, C)),
 * independent of the @mtcnn/models layout helpers.
 */
import type { MtcnnWeights, TensorName } from '@mtcnn/models';

/** HWC feature map in image orientation. */
interface Map3 {
  h: number;
  w: number;
  c: number;
  data: Float64Array;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [-1, 1), like normalised pixels. */
export function randomInput(seed: number, length: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length }, () => rand() * 2 - 1);
}

function conv(W: MtcnnWeights, x: Map3, net: string, id: string): Map3 {
  const k = W.get(`${net}/${id}/weights` as TensorName);
  const b = W.get(`${net}/${id}/bias` as TensorName).data;
  const [kx, ky, ci, co] = k.shape; // stored [x, y, in, out]
  const w = k.data;
  const oh = x.h - ky + 1;
  const ow = x.w - kx + 1;
  const out = new Float64Array(oh * ow * co);
  for (let y = 0; y < oh; y++) {
    for (let xx = 0; xx < ow; xx++) {
      for (let o = 0; o < co; o++) {
        let s = b[o];
        for (let dx = 0; dx < kx; dx++) {
          for (let dy = 0; dy < ky; dy++) {
            for (let i = 0; i < ci; i++) {
              s += x.data[((y + dy) * x.w + (xx + dx)) * ci + i] * w[((dx * ky + dy) * ci + i) * co + o];
            }
          }
        }
        out[(y * ow + xx) * co + o] = s;
      }
    }
  }
  return { h: oh, w: ow, c: co, data: out };
}

function prelu(W: MtcnnWeights, v: Float64Array, name: string, channels: number): void {
  const a = W.get(name as TensorName).data;
  for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] *= a[i % channels];
}

/** Ceil mode: windows may hang over the bottom/right edge; only in-image cells count. */
function maxPool(x: Map3, size: number, stride: number): Map3 {
  const oh = Math.ceil((x.h - size) / stride) + 1;
  const ow = Math.ceil((x.w - size) / stride) + 1;
  const out = new Float64Array(oh * ow * x.c);
  for (let y = 0; y < oh; y++) {
    for (let xx = 0; xx < ow; xx++) {
      for (let c = 0; c < x.c; c++) {
        let m = -Infinity;
        for (let dy = 0; dy < size; dy++) {
          for (let dx = 0; dx < size; dx++) {
            const yy = y * stride + dy;
            const xs = xx * stride + dx;
            if (yy < x.h && xs < x.w) m = Math.max(m, x.data[(yy * x.w + xs) * x.c + c]);
          }
        }
        out[(y * ow + xx) * x.c + c] = m;
      }
    }
  }
  return { h: oh, w: ow, c: x.c, data: out };
}

/** Flatten in the stored order (W, H, C): index `(x * H + y) * C + c`. */
function flattenWHC(x: Map3): Float64Array {
  const v = new Float64Array(x.h * x.w * x.c);
  for (let y = 0; y < x.h; y++) {
    for (let xx = 0; xx < x.w; xx++) {
      for (let c = 0; c < x.c; c++) v[(xx * x.h + y) * x.c + c] = x.data[(y * x.w + xx) * x.c + c];
    }
  }
  return v;
}

function dense(W: MtcnnWeights, v: Float64Array, net: string, id: string): Float64Array {
  const m = W.get(`${net}/${id}/weights` as TensorName);
  const b = W.get(`${net}/${id}/bias` as TensorName).data;
  const [ni, no] = m.shape;
  if (v.length !== ni) throw new Error(`${net}/${id}: ${v.length} inputs, expected ${ni}`);
  const out = Float64Array.from(b);
  for (let i = 0; i < ni; i++) for (let o = 0; o < no; o++) out[o] += v[i] * m.data[i * no + o];
  return out;
}

/** The face logit the backends return: face minus background (core/softmax.ts makes the probability). */
const faceLogit = (l0: number, l1: number) => l1 - l0;

function image(data: Float32Array, offset: number, h: number, w: number): Map3 {
  return { h, w, c: 3, data: Float64Array.from(data.subarray(offset, offset + h * w * 3)) };
}

function layer(W: MtcnnWeights, x: Map3, net: string, n: number): Map3 {
  const y = conv(W, x, net, `conv${n}`);
  prelu(W, y.data, `${net}/prelu${n}_alpha`, y.c);
  return y;
}

export function naivePNet(W: MtcnnWeights, level: Float32Array, h: number, w: number) {
  let x = layer(W, image(level, 0, h, w), 'pnet', 1);
  x = maxPool(x, 2, 2);
  x = layer(W, x, 'pnet', 2);
  x = layer(W, x, 'pnet', 3);
  const logits = conv(W, x, 'pnet', 'conv4_1');
  const reg = conv(W, x, 'pnet', 'conv4_2');
  const logit = new Float64Array(x.h * x.w);
  for (let i = 0; i < logit.length; i++) logit[i] = faceLogit(logits.data[i * 2], logits.data[i * 2 + 1]);
  return { logit, reg: reg.data, height: x.h, width: x.w };
}

export function naiveRNet(W: MtcnnWeights, crops: Float32Array, count: number) {
  const logit = new Float64Array(count);
  const reg = new Float64Array(count * 4);
  for (let n = 0; n < count; n++) {
    let x = layer(W, image(crops, n * 24 * 24 * 3, 24, 24), 'rnet', 1);
    x = maxPool(x, 3, 2);
    x = layer(W, x, 'rnet', 2);
    x = maxPool(x, 3, 2);
    x = layer(W, x, 'rnet', 3);
    const f = dense(W, flattenWHC(x), 'rnet', 'fc1');
    prelu(W, f, 'rnet/prelu4_alpha', f.length);
    const l = dense(W, f, 'rnet', 'fc2_1');
    logit[n] = faceLogit(l[0], l[1]);
    reg.set(dense(W, f, 'rnet', 'fc2_2'), n * 4);
  }
  return { logit, reg };
}

export function naiveONet(W: MtcnnWeights, crops: Float32Array, count: number) {
  const logit = new Float64Array(count);
  const reg = new Float64Array(count * 4);
  const landmarks = new Float64Array(count * 10);
  for (let n = 0; n < count; n++) {
    let x = layer(W, image(crops, n * 48 * 48 * 3, 48, 48), 'onet', 1);
    x = maxPool(x, 3, 2);
    x = layer(W, x, 'onet', 2);
    x = maxPool(x, 3, 2);
    x = layer(W, x, 'onet', 3);
    x = maxPool(x, 2, 2);
    x = layer(W, x, 'onet', 4);
    const f = dense(W, flattenWHC(x), 'onet', 'fc1');
    prelu(W, f, 'onet/prelu5_alpha', f.length);
    const l = dense(W, f, 'onet', 'fc2_1');
    logit[n] = faceLogit(l[0], l[1]);
    reg.set(dense(W, f, 'onet', 'fc2_2'), n * 4);
    landmarks.set(dense(W, f, 'onet', 'fc2_3'), n * 10);
  }
  return { logit, reg, landmarks };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
