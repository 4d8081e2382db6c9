/**
 * The reference's two unstable sorts, ported step for step so that equal scores come out in the
 * reference's order (docs/architecture.md, "Exactness"). Both are deterministic functions of the
 * input, so a port reproduces them exactly; a stable sort does not (they differ from one from 17
 * elements on).
 *
 * - `argsortNumpy`: numpy 1.24's `np.argsort(a)` (default kind, "quicksort" = introsort, the
 *   scalar `aquicksort_` of npysort/quicksort.cpp: 1.24 has no SIMD argsort), ascending, NaN last.
 *   facenet-pytorch's O-Net NMS (`nms_numpy`) walks it from its end, and its final largest-first
 *   order is `argsort(areas)[::-1]`.
 * - `argsortTorchDescending`: PyTorch 1.13's CPU `Tensor.sort(descending=True)` (not stable:
 *   libstdc++'s `std::sort`, introsort, on (value, index) pairs compared by value only), which
 *   torchvision 0.14's `batched_nms` applies to its kept boxes when it has more than 1,000.
 *
 * Verified against numpy 1.24.2 and torch 1.13.1 (Debian 12, the reference's versions):
 * packages/core/src/argsort.test.ts and scripts/reference-sorts.py.
 */

/** numpy's `Tag::less` for floats: NaN sorts last. */
const npLess = (a: number, b: number): boolean => a < b || (Number.isNaN(b) && !Number.isNaN(a));

/** Index of the most significant set bit of `n` > 0 (numpy's `npy_get_msb`, libstdc++'s `__lg`). */
const msb = (n: number): number => 31 - Math.clz32(n);

/** numpy's `aheapsort_` on `idx[lo .. lo + n)`, by `v`, ascending. */
function npHeapsort(v: ArrayLike<number>, idx: Int32Array, lo: number, n: number): void {
  // 1-based heap as in numpy: a[k] is idx[lo + k - 1].
  const at = (k: number): number => lo + k - 1;
  let i: number;
  let j: number;
  let tmp: number;
  for (let l = n >> 1; l > 0; --l) {
    tmp = idx[at(l)];
    for (i = l, j = l << 1; j <= n; ) {
      if (j < n && npLess(v[idx[at(j)]], v[idx[at(j + 1)]])) j += 1;
      if (npLess(v[tmp], v[idx[at(j)]])) {
        idx[at(i)] = idx[at(j)];
        i = j;
        j += j;
      } else break;
    }
    idx[at(i)] = tmp;
  }
  for (; n > 1; ) {
    tmp = idx[at(n)];
    idx[at(n)] = idx[at(1)];
    n -= 1;
    for (i = 1, j = 2; j <= n; ) {
      if (j < n && npLess(v[idx[at(j)]], v[idx[at(j + 1)]])) j++;
      if (npLess(v[tmp], v[idx[at(j)]])) {
        idx[at(i)] = idx[at(j)];
        i = j;
        j += j;
      } else break;
    }
    idx[at(i)] = tmp;
  }
}

/** numpy's `np.argsort(values, kind='heapsort')`: the fallback of the introsort below, on its own (for tests). */
export function argsortNumpyHeapsort(values: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(values.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  npHeapsort(values, idx, 0, idx.length);
  return idx;
}

/** numpy 1.24 `np.argsort(values)` (default kind): indices that sort `values` ascending. */
export function argsortNumpy(values: ArrayLike<number>): Int32Array {
  const v = values;
  const num = v.length;
  const idx = new Int32Array(num);
  for (let i = 0; i < num; i++) idx[i] = i;
  if (num < 2) return idx;
  const SMALL_QUICKSORT = 15;
  const swap = (a: number, b: number): void => {
    const t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
  };
  let pl = 0;
  let pr = num - 1;
  const stack: number[] = [];
  const depths: number[] = [];
  let cdepth = msb(num) * 2;
  for (;;) {
    if (cdepth < 0) {
      npHeapsort(v, idx, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (npLess(v[idx[pm]], v[idx[pl]])) swap(pm, pl);
        if (npLess(v[idx[pr]], v[idx[pm]])) swap(pr, pm);
        if (npLess(v[idx[pm]], v[idx[pl]])) swap(pm, pl);
        const vp = v[idx[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (npLess(v[idx[pi]], vp));
          do --pj;
          while (npLess(vp, v[idx[pj]]));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // The larger part goes on the stack; the loop goes on with the smaller.
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = idx[pi];
        const vp = v[vi];
        let pj = pi;
        while (pj > pl && npLess(vp, v[idx[pj - 1]])) {
          idx[pj] = idx[pj - 1];
          pj--;
        }
        idx[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    cdepth = depths.pop()!;
  }
  return idx;
}

/**
 * PyTorch 1.13's CPU `sort(descending=True)` (stable = False): the permutation of `values` that
 * `std::sort` (libstdc++) leaves with the comparator "NaN first, then greater value first".
 */
export function argsortTorchDescending(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  // std::sort moves (value, index) pairs; only the values are compared.
  const key = Float64Array.from(values);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const comp = (a: number, b: number): boolean => (Number.isNaN(a) && !Number.isNaN(b)) || a > b;
  const less = (i: number, j: number): boolean => comp(key[i], key[j]);
  const swap = (i: number, j: number): void => {
    const k = key[i];
    key[i] = key[j];
    key[j] = k;
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  };
  const THRESHOLD = 16;

  // Heap helpers on [first, first + len): __adjust_heap / __push_heap, holding (kv, iv) as the value.
  const pushHeap = (first: number, hole: number, top: number, kv: number, iv: number): void => {
    let parent = (hole - 1) >> 1;
    while (hole > top && comp(key[first + parent], kv)) {
      key[first + hole] = key[first + parent];
      idx[first + hole] = idx[first + parent];
      hole = parent;
      parent = (hole - 1) >> 1;
    }
    key[first + hole] = kv;
    idx[first + hole] = iv;
  };
  const adjustHeap = (first: number, hole: number, len: number, kv: number, iv: number): void => {
    const top = hole;
    let second = hole;
    while (second < (len - 1) >> 1) {
      second = 2 * (second + 1);
      if (less(first + second, first + second - 1)) second--;
      key[first + hole] = key[first + second];
      idx[first + hole] = idx[first + second];
      hole = second;
    }
    if ((len & 1) === 0 && second === (len - 2) >> 1) {
      second = 2 * (second + 1);
      key[first + hole] = key[first + second - 1];
      idx[first + hole] = idx[first + second - 1];
      hole = second - 1;
    }
    pushHeap(first, hole, top, kv, iv);
  };
  /** __partial_sort(first, last, last): make_heap then sort_heap (heapsort). */
  const heapsort = (first: number, last: number): void => {
    const len = last - first;
    if (len >= 2) {
      for (let parent = (len - 2) >> 1; ; parent--) {
        adjustHeap(first, parent, len, key[first + parent], idx[first + parent]);
        if (parent === 0) break;
      }
    }
    while (last - first > 1) {
      --last;
      // __pop_heap(first, last, last)
      const kv = key[last];
      const iv = idx[last];
      key[last] = key[first];
      idx[last] = idx[first];
      adjustHeap(first, 0, last - first, kv, iv);
    }
  };
  const moveMedianToFirst = (result: number, a: number, b: number, c: number): void => {
    if (less(a, b)) {
      if (less(b, c)) swap(result, b);
      else if (less(a, c)) swap(result, c);
      else swap(result, a);
    } else if (less(a, c)) swap(result, a);
    else if (less(b, c)) swap(result, c);
    else swap(result, b);
  };
  const unguardedPartition = (first: number, last: number, pivot: number): number => {
    for (;;) {
      while (less(first, pivot)) ++first;
      --last;
      while (less(pivot, last)) --last;
      if (!(first < last)) return first;
      swap(first, last);
      ++first;
    }
  };
  const introsortLoop = (first: number, last: number, depth: number): void => {
    while (last - first > THRESHOLD) {
      if (depth === 0) {
        heapsort(first, last);
        return;
      }
      --depth;
      const mid = first + ((last - first) >> 1);
      moveMedianToFirst(first, first + 1, mid, last - 1);
      const cut = unguardedPartition(first + 1, last, first);
      introsortLoop(cut, last, depth);
      last = cut;
    }
  };
  /** __unguarded_linear_insert: shifts position `last` left past greater-priority elements. */
  const linearInsert = (last: number): void => {
    const kv = key[last];
    const iv = idx[last];
    let next = last - 1;
    while (comp(kv, key[next])) {
      key[last] = key[next];
      idx[last] = idx[next];
      last = next;
      --next;
    }
    key[last] = kv;
    idx[last] = iv;
  };
  const insertionSort = (first: number, last: number): void => {
    if (first === last) return;
    for (let i = first + 1; i !== last; ++i) {
      if (less(i, first)) {
        const kv = key[i];
        const iv = idx[i];
        key.copyWithin(first + 1, first, i);
        idx.copyWithin(first + 1, first, i);
        key[first] = kv;
        idx[first] = iv;
      } else linearInsert(i);
    }
  };
  if (n > 1) {
    introsortLoop(0, n, msb(n) * 2);
    if (n > THRESHOLD) {
      insertionSort(0, THRESHOLD);
      for (let i = THRESHOLD; i !== n; ++i) linearInsert(i);
    } else insertionSort(0, n);
  }
  return idx;
}
