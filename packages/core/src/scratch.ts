/**
 * Large typed arrays reused from one detection (and pyramid level) to the next: the summed-area
 * table, the pyramid levels and the crop batches. Allocated fresh each time they are garbage until
 * V8 collects them, which it does late for external memory: measured at 1920x1080, about 50 MB
 * of dead buffers on top of the live ones at the peak of a detection.
 *
 * `take` lends an array of exactly `length` elements (a view of a pooled buffer when one is large
 * enough); `give` returns it once nothing reads it any more. A detector owns one pool; concurrent
 * detections each take their own buffers. At most `keep` free buffers per type are retained.
 */
export interface Scratch {
  float32(length: number): Float32Array;
  uint32(length: number): Uint32Array;
  give(array: Float32Array | Uint32Array): void;
}

type Ctor<T> = {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  new (length: number): T;
  BYTES_PER_ELEMENT: number;
};

export function scratchPool(keep = 2): Scratch {
  const free = new Map<Ctor<Float32Array | Uint32Array>, ArrayBuffer[]>();
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
      if (array.byteOffset !== 0 || !(array.buffer instanceof ArrayBuffer) || list.includes(array.buffer)) return;
      list.push(array.buffer);
      // Keep the largest `keep`.
      list.sort((a, b) => b.byteLength - a.byteLength).splice(keep);
      free.set(ctor, list);
    },
  };
}

/** A pool that never keeps anything: plain allocation (the default outside a detector). */
export const noScratch: Scratch = {
  float32: (length) => new Float32Array(length),
  uint32: (length) => new Uint32Array(length),
  give: () => undefined,
};
