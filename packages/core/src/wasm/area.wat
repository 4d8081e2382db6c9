;; Area resampling from a summed-area table, in WebAssembly SIMD (resample-wasm.ts is the JavaScript
;; side; area-wasm.ts holds this module compiled, written by scripts/build-wasm.mjs).
;;
;; One pixel is one i32x4 / f32x4: lanes r, g, b and a fourth lane that is never used (it reads the
;; next pixel's red; stores that write it are overwritten by the next pixel or land in padding).
;; Every result is bit for bit what resample.ts computes in JavaScript: the table sums modulo 2^32
;; like its Uint32Array, and `fround(fround(fround(fround(s / kh) / kw) - 127.5) * 0.0078125)` is
;; one f32 division, one f32 division, one f32 subtraction and one exact product by 2^-7 (an IEEE
;; float32 operation equals the double one rounded to float32 for + - * /), with `s` below 2^24 so
;; that converting it to f32 is exact.
(module
  (memory (export "memory") 1)

  ;; Rows [y0, y0 + rows) of the table (`t`: (H + 1) x (W + 1) x 3 int32, row 0 and column 0 zero),
  ;; from those rows of the image (`img`: rows x W x 3 bytes, one readable byte after them); the
  ;; table's row y0 (row 0 when y0 = 0) must already hold its sums. 4 bytes after the table are written.
  (func (export "sat") (param $img i32) (param $W i32) (param $rows i32) (param $t i32) (param $y0 i32)
    (local $stride i32) (local $u i32) (local $q i32) (local $p i32) (local $end i32) (local $y i32)
    (local $acc v128)
    (local.set $stride (i32.mul (i32.add (local.get $W) (i32.const 1)) (i32.const 12)))
    (if (i32.eqz (local.get $y0))
      (then (memory.fill (local.get $t) (i32.const 0) (local.get $stride))))
    ;; u: the row above, column 0
    (local.set $u (i32.add (local.get $t) (i32.mul (local.get $y0) (local.get $stride))))
    (local.set $p (local.get $img))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $y) (local.get $rows)))
        (local.set $q (i32.add (local.get $u) (local.get $stride)))
        (i32.store (local.get $q) (i32.const 0))
        (i32.store offset=4 (local.get $q) (i32.const 0))
        (i32.store offset=8 (local.get $q) (i32.const 0))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $end (i32.add (local.get $p) (i32.mul (local.get $W) (i32.const 3))))
        (block $rowdone
          (loop $px
            (br_if $rowdone (i32.ge_u (local.get $p) (local.get $end)))
            ;; running row sums r, g, b (lane 3 masked to 0)
            (local.set $acc
              (i32x4.add (local.get $acc)
                (v128.and
                  (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero align=1 (local.get $p))))
                  (v128.const i32x4 -1 -1 -1 0))))
            (v128.store offset=12 align=4 (local.get $q)
              (i32x4.add (v128.load offset=12 align=4 (local.get $u)) (local.get $acc)))
            (local.set $p (i32.add (local.get $p) (i32.const 3)))
            (local.set $u (i32.add (local.get $u) (i32.const 12)))
            (local.set $q (i32.add (local.get $q) (i32.const 12)))
            (br $px)))
        ;; u ran over W pixels of the row above: one more column is this row's start
        (local.set $u (i32.add (local.get $u) (i32.const 12)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row))))

  ;; Output rows [0, outH) of one window. Per output column (3 arrays of outW at `cols`): the byte
  ;; offsets in a table row of the window's first and last + 1 pixel, and its width (f32). Per output
  ;; row (3 arrays of outH at `rows`): the byte offsets of its first and last + 1 table rows, and its
  ;; height (f32). Writes outH x outW pixels at `out`, as three planes (`planar`) or RGB triples (16
  ;; bytes written per pixel: 4 past the last one).
  (func (export "area") (param $t i32) (param $cols i32) (param $rows i32) (param $outW i32) (param $outH i32)
    (param $out i32) (param $planar i32)
    (local $oy i32) (local $ox i32) (local $top i32) (local $bot i32) (local $kh v128)
    (local $c i32) (local $a i32) (local $b i32) (local $v v128) (local $o i32) (local $plane i32)
    (local $wBytes i32) (local $hBytes i32)
    (local.set $wBytes (i32.shl (local.get $outW) (i32.const 2)))
    (local.set $hBytes (i32.shl (local.get $outH) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $wBytes) (local.get $outH)))
    (local.set $o (local.get $out))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $oy) (local.get $outH)))
        (local.set $top (i32.add (local.get $t)
          (i32.load (i32.add (local.get $rows) (i32.shl (local.get $oy) (i32.const 2))))))
        (local.set $bot (i32.add (local.get $t)
          (i32.load (i32.add (i32.add (local.get $rows) (local.get $hBytes)) (i32.shl (local.get $oy) (i32.const 2))))))
        (local.set $kh (f32x4.splat
          (f32.load (i32.add (i32.add (local.get $rows) (i32.shl (local.get $hBytes) (i32.const 1)))
            (i32.shl (local.get $oy) (i32.const 2))))))
        (local.set $c (local.get $cols))
        (local.set $ox (i32.const 0))
        (block $rowdone
          (loop $px
            (br_if $rowdone (i32.ge_u (local.get $ox) (local.get $outW)))
            (local.set $a (i32.load (local.get $c)))
            (local.set $b (i32.load (i32.add (local.get $c) (local.get $wBytes))))
            ;; the window's sums (modulo 2^32, exact), then the average and the normalisation
            (local.set $v
              (f32x4.mul
                (f32x4.sub
                  (f32x4.div
                    (f32x4.div
                      (f32x4.convert_i32x4_s
                        (i32x4.add
                          (i32x4.sub
                            (i32x4.sub
                              (v128.load align=4 (i32.add (local.get $bot) (local.get $b)))
                              (v128.load align=4 (i32.add (local.get $bot) (local.get $a))))
                            (v128.load align=4 (i32.add (local.get $top) (local.get $b))))
                          (v128.load align=4 (i32.add (local.get $top) (local.get $a)))))
                      (local.get $kh))
                    (f32x4.splat (f32.load (i32.add (local.get $c) (i32.shl (local.get $wBytes) (i32.const 1))))))
                  (v128.const f32x4 127.5 127.5 127.5 127.5))
                (v128.const f32x4 0.0078125 0.0078125 0.0078125 0.0078125)))
            (if (local.get $planar)
              (then
                (f32.store align=4 (local.get $o) (f32x4.extract_lane 0 (local.get $v)))
                (f32.store align=4 (i32.add (local.get $o) (local.get $plane)) (f32x4.extract_lane 1 (local.get $v)))
                (f32.store align=4 (i32.add (local.get $o) (i32.shl (local.get $plane) (i32.const 1)))
                  (f32x4.extract_lane 2 (local.get $v)))
                (local.set $o (i32.add (local.get $o) (i32.const 4))))
              (else
                (v128.store align=4 (local.get $o) (local.get $v))
                (local.set $o (i32.add (local.get $o) (i32.const 12)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $px)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $row))))
)
