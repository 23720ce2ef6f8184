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
