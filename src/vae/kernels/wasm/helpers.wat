;; Loops for the composed wasm kernels (src/vae/kernels), run on TF.js's own wasm heap: this
;; module imports the backend's memory, and every pointer below is a byte offset into it.
;; WebAssembly 1.0 with 128-bit SIMD, which TF.js's fast wasm build needs too; where a browser
;; lacks SIMD the module does not compile and the kernels run their JavaScript loops instead.
;; `npm run build:wasm` assembles it into helpers.wasm.ts; a unit test checks the two agree.
(module
  (import "env" "memory" (memory 1))

  ;; The transposed im2col rows of filter column j (see conv2d-backprop-filter.ts):
  ;;   cols[((i·FW + j)·C + c)·rows + (b·OH + h)·OW + w] = x[b, h·sh + i − pt, w·sw + j − pl, c]
  ;; for every b, i, c, h and w, zero where the input position is padding. Output columns w in
  ;; [w0, w1) are the ones whose input column lies inside the image.
  (func (export "colsT")
    (param $x i32) (param $cols i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32)
    (param $OH i32) (param $OW i32) (param $FH i32) (param $FW i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32)
    (param $j i32) (param $w0 i32) (param $w1 i32)
    (local $rows i32) (local $b i32) (local $i i32) (local $c i32) (local $h i32) (local $w i32)
    (local $xh i32) (local $dst i32) (local $src i32) (local $step i32) (local $end i32)
    (local.set $rows (i32.mul (local.get $B) (i32.mul (local.get $OH) (local.get $OW))))
    ;; bytes between the inputs of two neighbouring output columns
    (local.set $step (i32.shl (i32.mul (local.get $sw) (local.get $C)) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $b_done (loop $b_loop
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $FH)))
        (local.set $c (i32.const 0))
        (block $c_done (loop $c_loop
          (br_if $c_done (i32.ge_u (local.get $c) (local.get $C)))
          ;; dst = &cols[((i·FW + j)·C + c)·rows + b·OH·OW]
          (local.set $dst (i32.add (local.get $cols) (i32.shl
            (i32.add
              (i32.mul
                (i32.add (i32.mul (i32.add (i32.mul (local.get $i) (local.get $FW)) (local.get $j)) (local.get $C)) (local.get $c))
                (local.get $rows))
              (i32.mul (local.get $b) (i32.mul (local.get $OH) (local.get $OW))))
            (i32.const 2))))
          (local.set $h (i32.const 0))
          (block $h_done (loop $h_loop
            (br_if $h_done (i32.ge_u (local.get $h) (local.get $OH)))
            (local.set $xh (i32.sub (i32.add (i32.mul (local.get $h) (local.get $sh)) (local.get $i)) (local.get $pt)))
            (local.set $w (i32.const 0))
            (if (i32.and (i32.ge_s (local.get $xh) (i32.const 0)) (i32.lt_s (local.get $xh) (local.get $H)))
              (then
                ;; columns before w0: padding
                (block $z0_done (loop $z0
                  (br_if $z0_done (i32.ge_u (local.get $w) (local.get $w0)))
                  (f32.store (i32.add (local.get $dst) (i32.shl (local.get $w) (i32.const 2))) (f32.const 0))
                  (local.set $w (i32.add (local.get $w) (i32.const 1)))
                  (br $z0)))
                ;; src = &x[b, xh, w·sw + j − pl, c] at w = w0
                (local.set $src (i32.add (local.get $x) (i32.shl
                  (i32.add
                    (i32.mul
                      (i32.add
                        (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $xh)) (local.get $W))
                        (i32.sub (i32.add (i32.mul (local.get $w0) (local.get $sw)) (local.get $j)) (local.get $pl)))
                      (local.get $C))
                    (local.get $c))
                  (i32.const 2))))
                (block $copy_done (loop $copy
                  (br_if $copy_done (i32.ge_u (local.get $w) (local.get $w1)))
                  (f32.store (i32.add (local.get $dst) (i32.shl (local.get $w) (i32.const 2))) (f32.load (local.get $src)))
                  (local.set $src (i32.add (local.get $src) (local.get $step)))
                  (local.set $w (i32.add (local.get $w) (i32.const 1)))
                  (br $copy)))))
            ;; columns from w1 on (or the whole row, when the input row is padding)
            (block $z1_done (loop $z1
              (br_if $z1_done (i32.ge_u (local.get $w) (local.get $OW)))
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $w) (i32.const 2))) (f32.const 0))
              (local.set $w (i32.add (local.get $w) (i32.const 1)))
              (br $z1)))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $OW) (i32.const 2))))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $h_loop)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $c_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b_loop)))
  )
  ;; The same for C a multiple of 4, four channels at a time: one 16-byte load of x gives the
  ;; entries of four rows, c to c + 3, at one output column.
  (func (export "colsT4")
    (param $x i32) (param $cols i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32)
    (param $OH i32) (param $OW i32) (param $FH i32) (param $FW i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32)
    (param $j i32) (param $w0 i32) (param $w1 i32)
    (local $rowBytes i32) (local $b i32) (local $i i32) (local $c i32) (local $h i32) (local $w i32)
    (local $xh i32) (local $dst i32) (local $at i32) (local $src i32) (local $step i32) (local $v v128)
    (local.set $rowBytes (i32.shl (i32.mul (local.get $B) (i32.mul (local.get $OH) (local.get $OW))) (i32.const 2)))
    (local.set $step (i32.shl (i32.mul (local.get $sw) (local.get $C)) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $b_done (loop $b_loop
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $FH)))
        (local.set $c (i32.const 0))
        (block $c_done (loop $c_loop
          (br_if $c_done (i32.ge_u (local.get $c) (local.get $C)))
          (local.set $dst (i32.add (local.get $cols) (i32.add
            (i32.mul
              (i32.add (i32.mul (i32.add (i32.mul (local.get $i) (local.get $FW)) (local.get $j)) (local.get $C)) (local.get $c))
              (local.get $rowBytes))
            (i32.shl (i32.mul (local.get $b) (i32.mul (local.get $OH) (local.get $OW))) (i32.const 2)))))
          (local.set $h (i32.const 0))
          (block $h_done (loop $h_loop
            (br_if $h_done (i32.ge_u (local.get $h) (local.get $OH)))
            (local.set $xh (i32.sub (i32.add (i32.mul (local.get $h) (local.get $sh)) (local.get $i)) (local.get $pt)))
            (local.set $w (i32.const 0))
            (if (i32.and (i32.ge_s (local.get $xh) (i32.const 0)) (i32.lt_s (local.get $xh) (local.get $H)))
              (then
                (block $z0_done (loop $z0
                  (br_if $z0_done (i32.ge_u (local.get $w) (local.get $w0)))
                  (call $zero4 (i32.add (local.get $dst) (i32.shl (local.get $w) (i32.const 2))) (local.get $rowBytes))
                  (local.set $w (i32.add (local.get $w) (i32.const 1)))
                  (br $z0)))
                (local.set $src (i32.add (local.get $x) (i32.shl
                  (i32.add
                    (i32.mul
                      (i32.add
                        (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $xh)) (local.get $W))
                        (i32.sub (i32.add (i32.mul (local.get $w0) (local.get $sw)) (local.get $j)) (local.get $pl)))
                      (local.get $C))
                    (local.get $c))
                  (i32.const 2))))
                (block $copy_done (loop $copy
                  (br_if $copy_done (i32.ge_u (local.get $w) (local.get $w1)))
                  (local.set $v (v128.load align=4 (local.get $src)))
                  (local.set $at (i32.add (local.get $dst) (i32.shl (local.get $w) (i32.const 2))))
                  (f32.store (local.get $at) (f32x4.extract_lane 0 (local.get $v)))
                  (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
                  (f32.store (local.get $at) (f32x4.extract_lane 1 (local.get $v)))
                  (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
                  (f32.store (local.get $at) (f32x4.extract_lane 2 (local.get $v)))
                  (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
                  (f32.store (local.get $at) (f32x4.extract_lane 3 (local.get $v)))
                  (local.set $src (i32.add (local.get $src) (local.get $step)))
                  (local.set $w (i32.add (local.get $w) (i32.const 1)))
                  (br $copy)))))
            (block $z1_done (loop $z1
              (br_if $z1_done (i32.ge_u (local.get $w) (local.get $OW)))
              (call $zero4 (i32.add (local.get $dst) (i32.shl (local.get $w) (i32.const 2))) (local.get $rowBytes))
              (local.set $w (i32.add (local.get $w) (i32.const 1)))
              (br $z1)))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $OW) (i32.const 2))))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $h_loop)))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $c_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b_loop)))
  )

  ;; col2im, the scatter half of a transposed convolution with few output channels
  ;; (see conv2d-transpose-narrow.ts): with P[b, h, w, (k, l, o)] the products of the input
  ;; pixel (h, w) with tap (k, l) of the filter,
  ;;   out[b, h·s − pt + k, w·s − pl + l, o] = Σ P[b, h, w, (k, l, o)]  over the taps that land inside.
  ;; out ([B, OH, OW, O]) is zeroed first.
  (func (export "col2im")
    (param $p i32) (param $out i32)
    (param $B i32) (param $H i32) (param $W i32) (param $OH i32) (param $OW i32)
    (param $FH i32) (param $FW i32) (param $O i32) (param $s i32) (param $pt i32) (param $pl i32)
    (local $n i32) (local $b i32) (local $h i32) (local $w i32) (local $k i32) (local $l i32) (local $o i32)
    (local $oh i32) (local $ow i32) (local $src i32) (local $row i32) (local $dst i32)
    ;; zeros
    (local.set $n (i32.shl (i32.mul (i32.mul (local.get $B) (local.get $O)) (i32.mul (local.get $OH) (local.get $OW))) (i32.const 2)))
    (local.set $dst (local.get $out))
    (local.set $n (i32.add (local.get $out) (local.get $n)))
    (block $z_done (loop $z
      (br_if $z_done (i32.ge_u (local.get $dst) (local.get $n)))
      (f32.store (local.get $dst) (f32.const 0))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $z)))
    (local.set $src (local.get $p))
    (local.set $b (i32.const 0))
    (block $b_done (loop $b_loop
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $h (i32.const 0))
      (block $h_done (loop $h_loop
        (br_if $h_done (i32.ge_u (local.get $h) (local.get $H)))
        (local.set $w (i32.const 0))
        (block $w_done (loop $w_loop
          (br_if $w_done (i32.ge_u (local.get $w) (local.get $W)))
          ;; src walks P in order: (b, h, w), then (k, l, o)
          (local.set $k (i32.const 0))
          (block $k_done (loop $k_loop
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $FH)))
            (local.set $oh (i32.add (i32.sub (i32.mul (local.get $h) (local.get $s)) (local.get $pt)) (local.get $k)))
            (if (i32.and (i32.ge_s (local.get $oh) (i32.const 0)) (i32.lt_s (local.get $oh) (local.get $OH)))
              (then
                ;; row = &out[b, oh, 0, 0]
                (local.set $row (i32.add (local.get $out) (i32.shl
                  (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $OH)) (local.get $oh)) (local.get $OW)) (local.get $O))
                  (i32.const 2))))
                (local.set $l (i32.const 0))
                (block $l_done (loop $l_loop
                  (br_if $l_done (i32.ge_u (local.get $l) (local.get $FW)))
                  (local.set $ow (i32.add (i32.sub (i32.mul (local.get $w) (local.get $s)) (local.get $pl)) (local.get $l)))
                  (if (i32.and (i32.ge_s (local.get $ow) (i32.const 0)) (i32.lt_s (local.get $ow) (local.get $OW)))
                    (then
                      (local.set $dst (i32.add (local.get $row) (i32.shl (i32.mul (local.get $ow) (local.get $O)) (i32.const 2))))
                      (local.set $o (i32.const 0))
                      (block $o_done (loop $o_loop
                        (br_if $o_done (i32.ge_u (local.get $o) (local.get $O)))
                        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
                        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                        (local.set $src (i32.add (local.get $src) (i32.const 4)))
                        (local.set $o (i32.add (local.get $o) (i32.const 1)))
                        (br $o_loop))))
                    (else (local.set $src (i32.add (local.get $src) (i32.shl (local.get $O) (i32.const 2))))))
                  (local.set $l (i32.add (local.get $l) (i32.const 1)))
                  (br $l_loop))))
              (else (local.set $src (i32.add (local.get $src) (i32.shl (i32.mul (local.get $FW) (local.get $O)) (i32.const 2))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $k_loop)))
          (local.set $w (i32.add (local.get $w) (i32.const 1)))
          (br $w_loop)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $h_loop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b_loop)))
  )

  ;; One phase of a transposed convolution into its place in the s×-larger output (see
  ;; conv2d-transpose.ts): out[n, s·m + a, s·k + b, :] = phase[n, m, k, :], O channels a pixel.
  (func (export "interleave")
    (param $phase i32) (param $out i32) (param $B i32) (param $H i32) (param $W i32) (param $O i32)
    (param $s i32) (param $a i32) (param $b i32)
    (local $n i32) (local $m i32) (local $k i32) (local $dst i32) (local $end i32) (local $bytes i32) (local $step i32)
    (local $src i32) (local $i i32)
    (local.set $bytes (i32.shl (local.get $O) (i32.const 2)))
    (local.set $step (i32.mul (local.get $s) (local.get $bytes)))
    (local.set $src (local.get $phase))
    (local.set $n (i32.const 0))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $B)))
      (local.set $m (i32.const 0))
      (block $m_done (loop $m_loop
        (br_if $m_done (i32.ge_u (local.get $m) (local.get $H)))
        ;; dst = &out[n, s·m + a, b, 0]
        (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $bytes)
          (i32.add
            (i32.mul
              (i32.add (i32.mul (local.get $n) (i32.mul (local.get $H) (local.get $s))) (i32.add (i32.mul (local.get $m) (local.get $s)) (local.get $a)))
              (i32.mul (local.get $W) (local.get $s)))
            (local.get $b)))))
        (local.set $k (i32.const 0))
        (block $k_done (loop $k_loop
          (br_if $k_done (i32.ge_u (local.get $k) (local.get $W)))
          (local.set $i (i32.const 0))
          ;; 16 bytes at a time, then the rest
          (block $v_done (loop $v
            (br_if $v_done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $bytes)))
            (v128.store align=4 (i32.add (local.get $dst) (local.get $i)) (v128.load align=4 (i32.add (local.get $src) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $v)))
          (block $f_done (loop $f
            (br_if $f_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.load (i32.add (local.get $src) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $f)))
          (local.set $src (i32.add (local.get $src) (local.get $bytes)))
          (local.set $dst (i32.add (local.get $dst) (local.get $step)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $k_loop)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $m_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop)))
  )

  ;; The ReLU gradient in one pass: out = dy · step(x), with step(x) = 1 for x > 0, 0 for
  ;; x ≤ 0 and NaN for a NaN x, as TF.js's Step and Multiply compute it in two.
  (func (export "reluGrad") (param $dy i32) (param $x i32) (param $out i32) (param $n i32)
    (local $i i32) (local $end i32) (local $v v128) (local $step v128) (local $f f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $v_done (loop $v_loop
      (br_if $v_done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
      (local.set $v (v128.load align=4 (i32.add (local.get $x) (local.get $i))))
      (local.set $step (v128.or
        (v128.and (v128.const f32x4 1 1 1 1) (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0)))
        (v128.and (local.get $v) (f32x4.ne (local.get $v) (local.get $v)))))
      (v128.store align=4 (i32.add (local.get $out) (local.get $i))
        (f32x4.mul (v128.load align=4 (i32.add (local.get $dy) (local.get $i))) (local.get $step)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $v_loop)))
    (block $f_done (loop $f_loop
      (br_if $f_done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $f (f32.load (i32.add (local.get $x) (local.get $i))))
      (f32.store (i32.add (local.get $out) (local.get $i))
        (f32.mul
          (f32.load (i32.add (local.get $dy) (local.get $i)))
          (select (local.get $f) (select (f32.const 1) (f32.const 0) (f32.gt (local.get $f) (f32.const 0))) (f32.ne (local.get $f) (local.get $f)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $f_loop)))
  )

  ;; Column sums of a [rows, C] matrix, C a multiple of 4: out[c] = Σ_r x[r·C + c]. Blocks of
  ;; 32 rows are summed in float32 (in cache), and the blocks' sums added in float64 in
  ;; `scratch` (C doubles), so the result is as close as one float64 accumulator would give.
  (func (export "sumRows4") (param $x i32) (param $out i32) (param $scratch i32) (param $rows i32) (param $C i32)
    (local $rowBytes i32) (local $r i32) (local $r1 i32) (local $c i32) (local $at i32) (local $acc v128) (local $d i32)
    (local.set $rowBytes (i32.shl (local.get $C) (i32.const 2)))
    ;; scratch = 0
    (local.set $c (i32.const 0))
    (block $z_done (loop $z
      (br_if $z_done (i32.ge_u (local.get $c) (local.get $C)))
      (f64.store (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))) (f64.const 0))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $z)))
    (local.set $r (i32.const 0))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $r1 (i32.add (local.get $r) (i32.const 32)))
      (if (i32.gt_u (local.get $r1) (local.get $rows)) (then (local.set $r1 (local.get $rows))))
      (local.set $c (i32.const 0))
      (block $c_done (loop $c_loop
        (br_if $c_done (i32.ge_u (local.get $c) (local.get $C)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $at (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $C)) (local.get $c)) (i32.const 2))))
        (local.set $d (local.get $r))
        (block $s_done (loop $s
          (br_if $s_done (i32.ge_u (local.get $d) (local.get $r1)))
          (local.set $acc (f32x4.add (local.get $acc) (v128.load align=4 (local.get $at))))
          (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
          (local.set $d (i32.add (local.get $d) (i32.const 1)))
          (br $s)))
        ;; scratch[c .. c+3] += acc, in float64
        (local.set $at (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))))
        (v128.store align=8 (local.get $at) (f64x2.add (v128.load align=8 (local.get $at)) (f64x2.promote_low_f32x4 (local.get $acc))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (v128.store align=8 (local.get $at) (f64x2.add (v128.load align=8 (local.get $at))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc)))))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $c_loop)))
      (local.set $r (local.get $r1))
      (br $r_loop)))
    (local.set $c (i32.const 0))
    (block $o_done (loop $o
      (br_if $o_done (i32.ge_u (local.get $c) (local.get $C)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $scratch) (i32.shl (local.get $c) (i32.const 3))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $o)))
  )

  ;; dst = srcᵀ for a [rows, cols] matrix: dst[c·rows + r] = src[r·cols + c]. Blocks of 4×4
  ;; are transposed in registers when both sizes are multiples of 4; otherwise one at a time.
  (func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $rowBytes i32) (local $colBytes i32) (local $at i32) (local $to i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2)))
    (if (i32.or (i32.and (local.get $rows) (i32.const 3)) (i32.and (local.get $cols) (i32.const 3)))
      (then
        (local.set $r (i32.const 0))
        (block $r_done (loop $r_loop
          (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
          (local.set $c (i32.const 0))
          (block $c_done (loop $c_loop
            (br_if $c_done (i32.ge_u (local.get $c) (local.get $cols)))
            (f32.store
              (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
              (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $c_loop)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $r_loop)))
        (return)))
    (local.set $r (i32.const 0))
    (block $r4_done (loop $r4
      (br_if $r4_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $c4_done (loop $c4
        (br_if $c4_done (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $at (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
        (local.set $v0 (v128.load align=4 (local.get $at)))
        (local.set $v1 (v128.load align=4 (i32.add (local.get $at) (local.get $rowBytes))))
        (local.set $v2 (v128.load align=4 (i32.add (local.get $at) (i32.shl (local.get $rowBytes) (i32.const 1)))))
        (local.set $v3 (v128.load align=4 (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 3)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
        (local.set $to (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2))))
        (v128.store align=4 (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $to (i32.add (local.get $to) (local.get $colBytes)))
        (v128.store align=4 (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $to (i32.add (local.get $to) (local.get $colBytes)))
        (v128.store align=4 (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $to (i32.add (local.get $to) (local.get $colBytes)))
        (v128.store align=4 (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $c4)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $r4)))
  )

  ;; im2col, rows first: cols[((b·OH + h)·OW + w)·F + (i·FW + j)·C + c] = x̃[b, h·sh + i − pt, w·sw + j − pl, c],
  ;; F = FH·FW·C, zero where the input position is padding (see conv2d-backprop-filter.ts).
  (func (export "im2col")
    (param $x i32) (param $cols i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32)
    (param $OH i32) (param $OW i32) (param $FH i32) (param $FW i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32)
    (local $b i32) (local $h i32) (local $w i32) (local $i i32) (local $j i32) (local $c i32)
    (local $xh i32) (local $xw i32) (local $dst i32) (local $src i32) (local $run i32) (local $k i32)
    (local.set $run (i32.shl (local.get $C) (i32.const 2)))
    (local.set $dst (local.get $cols))
    (local.set $b (i32.const 0))
    (block $b_done (loop $b_loop
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $h (i32.const 0))
      (block $h_done (loop $h_loop
        (br_if $h_done (i32.ge_u (local.get $h) (local.get $OH)))
        (local.set $w (i32.const 0))
        (block $w_done (loop $w_loop
          (br_if $w_done (i32.ge_u (local.get $w) (local.get $OW)))
          (local.set $i (i32.const 0))
          (block $i_done (loop $i_loop
            (br_if $i_done (i32.ge_u (local.get $i) (local.get $FH)))
            (local.set $xh (i32.sub (i32.add (i32.mul (local.get $h) (local.get $sh)) (local.get $i)) (local.get $pt)))
            (local.set $j (i32.const 0))
            (block $j_done (loop $j_loop
              (br_if $j_done (i32.ge_u (local.get $j) (local.get $FW)))
              (local.set $xw (i32.sub (i32.add (i32.mul (local.get $w) (local.get $sw)) (local.get $j)) (local.get $pl)))
              (local.set $k (i32.const 0))
              (if (i32.and
                    (i32.and (i32.ge_s (local.get $xh) (i32.const 0)) (i32.lt_s (local.get $xh) (local.get $H)))
                    (i32.and (i32.ge_s (local.get $xw) (i32.const 0)) (i32.lt_s (local.get $xw) (local.get $W))))
                (then
                  (local.set $src (i32.add (local.get $x) (i32.mul (local.get $run)
                    (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $xh)) (local.get $W)) (local.get $xw)))))
                  (block $copy_done (loop $copy
                    (br_if $copy_done (i32.ge_u (local.get $k) (local.get $run)))
                    (f32.store (i32.add (local.get $dst) (local.get $k)) (f32.load (i32.add (local.get $src) (local.get $k))))
                    (local.set $k (i32.add (local.get $k) (i32.const 4)))
                    (br $copy))))
                (else
                  (block $zero_done (loop $zero
                    (br_if $zero_done (i32.ge_u (local.get $k) (local.get $run)))
                    (f32.store (i32.add (local.get $dst) (local.get $k)) (f32.const 0))
                    (local.set $k (i32.add (local.get $k) (i32.const 4)))
                    (br $zero)))))
              (local.set $dst (i32.add (local.get $dst) (local.get $run)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $j_loop)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $i_loop)))
          (local.set $w (i32.add (local.get $w) (i32.const 1)))
          (br $w_loop)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $h_loop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b_loop)))
  )

  ;; Zeros at one column of four rows, rowBytes apart.
  (func $zero4 (param $at i32) (param $rowBytes i32)
    (f32.store (local.get $at) (f32.const 0))
    (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
    (f32.store (local.get $at) (f32.const 0))
    (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
    (f32.store (local.get $at) (f32.const 0))
    (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
    (f32.store (local.get $at) (f32.const 0)))
)
