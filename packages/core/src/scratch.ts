/**
 * Large typed arrays reused from one detection (and pyramid level) to the next: the summed-area
 * table, the pyramid levels and the crop batches. Allocated fresh each time they are garbage until
 * V8 collects them, which it does late for external memory: measured at 1920x1080, about 50 MB
 * of dead buffers on top of the live ones at the peak of a detection.
 *
 * `take` lends an array of exactly `length` elements (a view of a pooled buffer when one is large
 * enough); `give` returns it once nothing reads it any more. A detector owns one pool; concurrent
 * detections each take their own buffers. At most `keep` free buffers per type are retained, and
 * at most `maxBytes` in all: a buffer larger than that (a 100-megapixel image's 1.2 GB table) is
 * let go when given back, so one large image does not pin its memory for the detector's lifetime.
 */
export interface Scratch {
  float32(length: number): Float32Array;
  uint32(length: number): Uint32Array;
  give(array: Float32Array | Uint32Array): void;
}

/** A detector's pool: a `Scratch` that can say what it holds and let it all go. */
export interface ScratchPool extends Scratch {
  /** Bytes of the free buffers retained (lent ones are not counted). */
  heldBytes(): number;
  /** Lets every retained buffer go (the detector's `dispose`). Buffers given back later are let go too. */
  clear(): void;
}

/**
 * Default `maxBytes` of a pool: 128 MiB, enough to reuse a 3840x2160 image's summed-area table
 * (100 MB) and a 1920x1080 image's every buffer (about 55 MB).
 */
export const SCRATCH_MAX_BYTES = 128 * 2 ** 20;

type Ctor<T> = {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  new (length: number): T;
  BYTES_PER_ELEMENT: number;
};

export function scratchPool(options: { keep?: number; maxBytes?: number } = {}): ScratchPool {
  const keep = options.keep ?? 2;
  const maxBytes = options.maxBytes ?? SCRATCH_MAX_BYTES;
  const free = new Map<Ctor<Float32Array | Uint32Array>, ArrayBuffer[]>();
  let closed = false;
  const held = (): number => {
    let bytes = 0;
    for (const list of free.values()) for (const b of list) bytes += b.byteLength;
    return bytes;
  };
  const take = <T extends Float32Array | Uint32Array>(ctor: Ctor<T>, length: number): T => {
    const list = free.get(ctor) ?? [];
    const bytes = length * ctor.BYTES_PER_ELEMENT;
    // The smallest free buffer that fits.
    let best = -1;
    for (let i = 0; i < list.length; i++)
      if (list[i].byteLength >= bytes && (best < 0 || list[i].byteLength < list[best].byteLength)) best = i;
    if (best < 0) return new ctor(length);
    const [buffer] = list.splice(best, 1);
    return new ctor(buffer, 0, length);
  };
  return {
    float32: (length) => take(Float32Array as Ctor<Float32Array>, length),
    uint32: (length) => take(Uint32Array as Ctor<Uint32Array>, length),
    give(array) {
      const ctor = (array instanceof Float32Array ? Float32Array : Uint32Array) as Ctor<Float32Array | Uint32Array>;
      const list = free.get(ctor) ?? [];
      const buffer = array.buffer;
      if (closed || array.byteOffset !== 0 || !(buffer instanceof ArrayBuffer) || list.includes(buffer)) return;
      if (buffer.byteLength > maxBytes) return;
      list.push(buffer);
      // Keep the largest `keep` of this type ...
      list.sort((a, b) => b.byteLength - a.byteLength).splice(keep);
      free.set(ctor, list);
      // ... and, over every type, let the smallest go until the pool is within `maxBytes`.
      let total = held();
      while (total > maxBytes) {
        let smallest: { list: ArrayBuffer[]; i: number } | undefined;
        for (const l of free.values())
          for (let i = 0; i < l.length; i++)
            if (!smallest || l[i].byteLength < smallest.list[smallest.i].byteLength) smallest = { list: l, i };
        if (!smallest) break;
        total -= smallest.list[smallest.i].byteLength;
        smallest.list.splice(smallest.i, 1);
      }
    },
    heldBytes: held,
    clear() {
      closed = true;
      free.clear();
    },
  };
}

/** A pool that never keeps anything: plain allocation (the default outside a detector). */
export const noScratch: Scratch = {
  float32: (length) => new Float32Array(length),
  uint32: (length) => new Uint32Array(length),
  give: () => undefined,
};
