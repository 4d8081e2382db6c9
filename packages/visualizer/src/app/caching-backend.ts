import type { MtcnnBackend, ONetOutput, PNetOutput, RNetOutput } from '@mtcnn/core';

/**
 * A backend wrapper that remembers network outputs by input content, so re-detecting the same
 * image with other thresholds re-runs only the post-processing (thresholds, NMS, regression) in
 * the core, and the networks only for inputs they have not seen: a P-Net level (by size and
 * pixels), or an R-Net / O-Net crop (by its pixels). Which crops are new is decided by the core
 * (e.g. a lower P-Net threshold gives R-Net new boxes): this wrapper only counts what ran.
 */
export interface NetCounts {
  /** Inputs run on the network (levels for P-Net, crops for R-Net and O-Net). */
  ran: number;
  /** Inputs answered from the cache. */
  cached: number;
}

export interface CachingBackend extends MtcnnBackend {
  readonly inner: MtcnnBackend;
  /** Counts since the last `resetCounts()`. */
  readonly counts: Record<'pnet' | 'rnet' | 'onet', NetCounts>;
  resetCounts(): void;
  /** Forget every cached output (e.g. for a new image). */
  clear(): void;
}

/**
 * Two independent 32-bit hashes of the bytes (plus the length): collisions are not a practical concern at these sizes.
 */
export function contentKey(data: Float32Array, start = 0, end = data.length): string {
  const words = new Uint32Array(data.buffer, data.byteOffset + start * 4, end - start);
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ (w >>> 16) ^ (w << 16), 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  return `${words.length}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

export function createCachingBackend(inner: MtcnnBackend): CachingBackend {
  const pnet = new Map<string, PNetOutput>();
  const rnet = new Map<string, { logit: number; reg: Float32Array }>();
  const onet = new Map<string, { logit: number; reg: Float32Array; landmarks: Float32Array }>();
  const zero = (): NetCounts => ({ ran: 0, cached: 0 });
  const counts = { pnet: zero(), rnet: zero(), onet: zero() };

  /** Runs the network on the crops not in `cache` (one batch), then answers every crop from the cache. */
  async function crops<E extends { logit: number; reg: Float32Array }>(
    data: Float32Array,
    count: number,
    side: number,
    cache: Map<string, E>,
    c: NetCounts,
    run: (batch: Float32Array, n: number) => Promise<RNetOutput | ONetOutput>,
    entry: (out: RNetOutput | ONetOutput, i: number) => E,
  ): Promise<E[]> {
    const per = side * side * 3;
    const keys = Array.from({ length: count }, (_, i) => contentKey(data, i * per, (i + 1) * per));
    const missing = [...new Set(keys.filter((k) => !cache.has(k)))];
    if (missing.length > 0) {
      const batch = new Float32Array(missing.length * per);
      missing.forEach((k, j) => {
        const i = keys.indexOf(k);
        batch.set(data.subarray(i * per, (i + 1) * per), j * per);
      });
      const out = await run(batch, missing.length);
      missing.forEach((k, j) => {
        cache.set(k, entry(out, j));
      });
    }
    c.ran += missing.length;
    c.cached += count - missing.length;
    return keys.map((k) => cache.get(k)!);
  }

  return {
    inner,
    counts,
    get name() {
      return inner.name;
    },
    resetCounts() {
      for (const k of ['pnet', 'rnet', 'onet'] as const) counts[k] = zero();
    },
    clear() {
      pnet.clear();
      rnet.clear();
      onet.clear();
    },
    async runPNet(level, height, width) {
      const key = `${height}x${width}:${contentKey(level)}`;
      let out = pnet.get(key);
      if (out) counts.pnet.cached++;
      else {
        out = await inner.runPNet(level, height, width);
        pnet.set(key, out);
        counts.pnet.ran++;
      }
      return out;
    },
    async runRNet(data, count) {
      const e = await crops(
        data,
        count,
        24,
        rnet,
        counts.rnet,
        (b, n) => inner.runRNet(b, n),
        (o, j) => ({
          logit: o.logit[j],
          reg: o.reg.slice(j * 4, j * 4 + 4),
        }),
      );
      const reg = new Float32Array(count * 4);
      e.forEach((x, i) => {
        reg.set(x.reg, i * 4);
      });
      return { logit: Float32Array.from(e, (x) => x.logit), reg };
    },
    async runONet(data, count) {
      const e = await crops(
        data,
        count,
        48,
        onet,
        counts.onet,
        (b, n) => inner.runONet(b, n),
        (o, j) => ({
          logit: o.logit[j],
          reg: o.reg.slice(j * 4, j * 4 + 4),
          landmarks: (o as ONetOutput).landmarks.slice(j * 10, j * 10 + 10),
        }),
      );
      const reg = new Float32Array(count * 4);
      const landmarks = new Float32Array(count * 10);
      e.forEach((x, i) => {
        reg.set(x.reg, i * 4);
        landmarks.set(x.landmarks, i * 10);
      });
      return { logit: Float32Array.from(e, (x) => x.logit), reg, landmarks };
    },
    dispose() {
      this.clear();
      inner.dispose();
    },
  };
}
