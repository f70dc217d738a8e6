/* F/D conversions and fused multiply-add: fcvt to integers with rounding, saturation and NV
 * (NaN, infinities, out of range, negative to unsigned), 32-bit results sign-extended,
 * integer to float rounding, fcvt.s.d / fcvt.d.s with NaNs, and the fmadd family computing
 * a*b+c with one rounding (a case where the separate mul + add differs). */
#include "test.h"
#define QNAN_D 0x7ff8000000000000
#define SNAN_D 0x7ff0000000000001
#define INF_D  0x7ff0000000000000
#define NINF_D 0xfff0000000000000

/* float -> integer: `op` on double bits `a` with rounding `rm`. */
.macro TEST_F2I n, op, rm, result, flags, a
  TEST \n
  csrw fflags, zero
  li t0, \a
  fmv.d.x ft0, t0
  \op t1, ft0, \rm
  CHECK t1, \result
  CHECK_FLAGS \flags
.endm

/* integer -> double */
.macro TEST_I2D n, op, rm, result, flags, a
  TEST \n
  csrw fflags, zero
  li t0, \a
  .ifb \rm
  \op fa0, t0
  .else
  \op fa0, t0, \rm
  .endif
  CHECK_D fa0, \result
  CHECK_FLAGS \flags
.endm

/* three-operand FMA on doubles */
.macro TEST_FMA n, op, result, flags, a, b, c
  TEST \n
  csrw fflags, zero
  li t0, \a
  li t1, \b
  li t2, \c
  fmv.d.x ft0, t0
  fmv.d.x ft1, t1
  fmv.d.x ft2, t2
  \op fa0, ft0, ft1, ft2, rne
  CHECK_D fa0, \result
  CHECK_FLAGS \flags
.endm

  .text
  .globl test_main
test_main:
  TEST_F2I 1, fcvt.w.d, rtz, 3, FFLAGS_NX, 0x400d99999999999a          /* 3.7 */
  TEST_F2I 2, fcvt.w.d, rne, 4, FFLAGS_NX, 0x400d99999999999a
  TEST_F2I 3, fcvt.w.d, rne, -4, FFLAGS_NX, 0xc00c000000000000         /* -3.5 -> even */
  TEST_F2I 4, fcvt.w.d, rmm, -4, FFLAGS_NX, 0xc00c000000000000
  TEST_F2I 5, fcvt.w.d, rmm, 3, FFLAGS_NX, 0x4004000000000000          /* 2.5 -> away */
  TEST_F2I 6, fcvt.w.d, rne, 2, FFLAGS_NX, 0x4004000000000000
  TEST_F2I 7, fcvt.w.d, rdn, -3, FFLAGS_NX, 0xc004000000000000         /* -2.5 */
  TEST_F2I 8, fcvt.w.d, rup, -2, FFLAGS_NX, 0xc004000000000000
  TEST_F2I 9, fcvt.w.d, rtz, 0x7fffffff, FFLAGS_NV, QNAN_D
  TEST_F2I 10, fcvt.w.d, rtz, 0x7fffffff, FFLAGS_NV, INF_D
  TEST_F2I 11, fcvt.w.d, rtz, 0xffffffff80000000, FFLAGS_NV, NINF_D
  TEST_F2I 12, fcvt.w.d, rtz, 0x7fffffff, FFLAGS_NV, 0x4202a05f20000000  /* 1e10 */
  TEST_F2I 13, fcvt.w.d, rtz, 0xffffffff80000000, 0, 0xc1e0000000000000  /* -2^31 exact */
  TEST_F2I 14, fcvt.wu.d, rtz, 0, FFLAGS_NV, 0xbff0000000000000          /* -1 */
  TEST_F2I 15, fcvt.wu.d, rtz, 0, FFLAGS_NX, 0xbfe0000000000000          /* -0.5 -> 0 */
  TEST_F2I 16, fcvt.wu.d, rtz, 0xffffffffb2d05e00, 0, 0x41e65a0bc0000000 /* 3e9, sign-extended */
  TEST_F2I 17, fcvt.wu.d, rtz, 0xffffffffffffffff, FFLAGS_NV, QNAN_D
  TEST_F2I 18, fcvt.l.d, rtz, 0x7fffffffffffffff, FFLAGS_NV, 0x43e0000000000000  /* 2^63 */
  TEST_F2I 19, fcvt.l.d, rtz, 0x8000000000000000, 0, 0xc3e0000000000000        /* -2^63 */
  TEST_F2I 20, fcvt.l.d, rtz, 0x7fffffffffffffff, FFLAGS_NV, QNAN_D
  TEST_F2I 21, fcvt.l.d, rtz, 0x8000000000000000, FFLAGS_NV, NINF_D
  TEST_F2I 22, fcvt.lu.d, rtz, 0xffffffffffffffff, FFLAGS_NV, QNAN_D
  TEST_F2I 23, fcvt.lu.d, rtz, 0xfffffffffffff800, 0, 0x43efffffffffffff
  TEST_F2I 24, fcvt.lu.d, rtz, 0, FFLAGS_NV, NINF_D
  /* Single-precision sources. */
  TEST 25
  csrw fflags, zero
  li t0, 0x4f000000                 /* 2^31 */
  fmv.w.x ft0, t0
  fcvt.w.s t1, ft0, rtz
  CHECK t1, 0x7fffffff
  CHECK_FLAGS FFLAGS_NV
  fcvt.lu.s t1, ft0, rtz
  CHECK t1, 0x80000000
  CHECK_FLAGS 0

  /* integer -> float */
  TEST_I2D 26, fcvt.d.l, rne, 0x4340000000000000, FFLAGS_NX, 0x20000000000001  /* 2^53+1 */
  TEST_I2D 27, fcvt.d.l, rup, 0x4340000000000001, FFLAGS_NX, 0x20000000000001
  TEST_I2D 28, fcvt.d.lu, rne, 0x43f0000000000000, FFLAGS_NX, 0xffffffffffffffff
  TEST_I2D 29, fcvt.d.w, , 0xc1e0000000000000, 0, 0x1234567880000000  /* uses low 32 bits */
  TEST_I2D 30, fcvt.d.wu, , 0x41e0000000000000, 0, 0xffffffff80000000
  TEST_I2D 31, fcvt.d.l, rne, 0, 0, 0
  TEST 32
  csrw fflags, zero
  li t0, 0x7fffffff
  fcvt.s.w fa0, t0, rne
  CHECK_S fa0, 0x4f000000
  CHECK_FLAGS FFLAGS_NX
  fcvt.s.w fa0, t0, rtz
  CHECK_S fa0, 0x4effffff
  CHECK_FLAGS FFLAGS_NX

  /* double <-> single */
  TEST 33
  li t0, 0x3fb999999999999a          /* 0.1 */
  fmv.d.x ft0, t0
  fcvt.s.d fa0, ft0, rne
  CHECK_S fa0, 0x3dcccccd
  CHECK_FLAGS FFLAGS_NX
  fcvt.s.d fa0, ft0, rtz
  CHECK_S fa0, 0x3dcccccc
  CHECK_FLAGS FFLAGS_NX
  fcvt.d.s fa1, fa0
  CHECK_D fa1, 0x3fb9999980000000
  CHECK_FLAGS 0
  TEST 34
  li t0, 0x7ff8000012345678          /* quiet NaN with payload -> canonical */
  fmv.d.x ft0, t0
  fcvt.s.d fa0, ft0
  CHECK_S fa0, 0x7fc00000
  CHECK_FLAGS 0
  li t0, 0x7f800001                  /* signalling single NaN -> canonical double, NV */
  fmv.w.x ft0, t0
  fcvt.d.s fa0, ft0
  CHECK_D fa0, QNAN_D
  CHECK_FLAGS FFLAGS_NV
  TEST 35
  li t0, 0x47f0000000000000          /* 2^128: overflows single */
  fmv.d.x ft0, t0
  fcvt.s.d fa0, ft0, rne
  CHECK_S fa0, 0x7f800000
  CHECK_FLAGS FFLAGS_OF | FFLAGS_NX

  /* Fused multiply-add: a = 1 + 2^-30, b = 1 - 2^-30, a*b = 1 - 2^-60 exactly. */
#define A_D 0x3ff0000000400000
#define B_D 0x3fefffffff800000
#define ONE_D 0x3ff0000000000000
#define MONE_D 0xbff0000000000000
  TEST_FMA 36, fmadd.d, 0xbc30000000000000, 0, A_D, B_D, MONE_D    /* a*b - 1 = -2^-60 */
  TEST_FMA 37, fmsub.d, 0xbc30000000000000, 0, A_D, B_D, ONE_D
  TEST_FMA 38, fnmsub.d, 0x3c30000000000000, 0, A_D, B_D, ONE_D    /* -(a*b) + 1 */
  TEST_FMA 39, fnmadd.d, 0xc000000000000000, FFLAGS_NX, A_D, B_D, ONE_D /* -(a*b) - 1 */
  TEST 40
  /* The same a*b - 1 with a separate multiply and add loses the low bits: 0. */
  li t2, MONE_D
  fmv.d.x ft2, t2
  fmul.d fa1, ft0, ft1, rne
  fadd.d fa1, fa1, ft2, rne
  CHECK_D fa1, 0
  csrw fflags, zero
  /* inf * 0 + qNaN raises NV (RISC-V requires it even with a quiet NaN addend). */
  TEST_FMA 41, fmadd.d, QNAN_D, FFLAGS_NV, INF_D, 0, QNAN_D
  TEST_FMA 42, fmadd.d, QNAN_D, 0, ONE_D, ONE_D, QNAN_D
  TEST_FMA 43, fmadd.d, QNAN_D, FFLAGS_NV, INF_D, ONE_D, NINF_D
  /* Single precision: a = 1 + 2^-13, b = 1 - 2^-13, a*b - 1 = -2^-26. */
  TEST 44
  csrw fflags, zero
  li t0, 0x3f800400
  li t1, 0x3f7ff800
  li t2, 0xbf800000
  fmv.w.x ft0, t0
  fmv.w.x ft1, t1
  fmv.w.x ft2, t2
  fmadd.s fa0, ft0, ft1, ft2, rne
  CHECK_S fa0, 0xb2800000
  CHECK_FLAGS 0
  fmul.s fa1, ft0, ft1, rne
  fadd.s fa1, fa1, ft2, rne
  CHECK_S fa1, 0
  j pass
