/* RV64F arithmetic: fadd/fsub/fmul/fdiv/fsqrt.s in every static rounding mode on halfway
 * and inexact cases, and each fflags bit (NX, UF, OF, DZ, NV) from its classic source. */
#include "test.h"
#define ONE      0x3f800000
#define MONE     0xbf800000
#define HALF_ULP 0x33800000   /* 2^-24: half an ulp of 1.0 */
#define QNAN     0x7fc00000

  .text
  .globl test_main
test_main:
  /* 1 + 2^-24 is exactly halfway between 1 and 1 + 2^-23. */
  TEST_FP_RR 1, fadd.s, s, rne, ONE, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 2, fadd.s, s, rtz, ONE, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 3, fadd.s, s, rdn, ONE, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 4, fadd.s, s, rup, 0x3f800001, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 5, fadd.s, s, rmm, 0x3f800001, FFLAGS_NX, ONE, HALF_ULP
  /* -1 - 2^-24: the directed modes mirror. */
  TEST_FP_RR 6, fsub.s, s, rne, MONE, FFLAGS_NX, MONE, HALF_ULP
  TEST_FP_RR 7, fsub.s, s, rtz, MONE, FFLAGS_NX, MONE, HALF_ULP
  TEST_FP_RR 8, fsub.s, s, rdn, 0xbf800001, FFLAGS_NX, MONE, HALF_ULP
  TEST_FP_RR 9, fsub.s, s, rup, MONE, FFLAGS_NX, MONE, HALF_ULP
  TEST_FP_RR 10, fsub.s, s, rmm, 0xbf800001, FFLAGS_NX, MONE, HALF_ULP
  /* Exact results raise nothing. */
  TEST_FP_RR 11, fadd.s, s, rne, 0x40400000, 0, ONE, 0x40000000      /* 1 + 2 = 3 */
  TEST_FP_RR 12, fmul.s, s, rne, 0xc0c00000, 0, 0x40400000, 0xc0000000 /* 3 * -2 = -6 */
  /* x - x = +0 except in RDN, where it is -0. */
  TEST_FP_RR 13, fsub.s, s, rne, 0x00000000, 0, ONE, ONE
  TEST_FP_RR 14, fsub.s, s, rdn, 0x80000000, 0, ONE, ONE
  /* 1/3 */
  TEST_FP_RR 15, fdiv.s, s, rne, 0x3eaaaaab, FFLAGS_NX, ONE, 0x40400000
  TEST_FP_RR 16, fdiv.s, s, rtz, 0x3eaaaaaa, FFLAGS_NX, ONE, 0x40400000
  TEST_FP_RR 17, fdiv.s, s, rup, 0x3eaaaaab, FFLAGS_NX, ONE, 0x40400000
  TEST_FP_RR 18, fdiv.s, s, rdn, 0x3eaaaaaa, FFLAGS_NX, ONE, 0x40400000
  /* sqrt */
  TEST_FP_R 19, fsqrt.s, s, rne, 0x3fb504f3, FFLAGS_NX, 0x40000000
  TEST_FP_R 20, fsqrt.s, s, rne, 0x40400000, 0, 0x41100000            /* sqrt 9 = 3 */
  TEST_FP_R 21, fsqrt.s, s, rne, 0x80000000, 0, 0x80000000            /* sqrt -0 = -0 */
  TEST_FP_R 22, fsqrt.s, s, rne, QNAN, FFLAGS_NV, MONE                /* sqrt -1 */
  /* DZ: 1 / 0 = +inf, -1 / 0 = -inf; 0 / 0 is NV. */
  TEST_FP_RR 23, fdiv.s, s, rne, 0x7f800000, FFLAGS_DZ, ONE, 0
  TEST_FP_RR 24, fdiv.s, s, rne, 0xff800000, FFLAGS_DZ, MONE, 0
  TEST_FP_RR 25, fdiv.s, s, rne, QNAN, FFLAGS_NV, 0, 0
  /* NV: inf - inf, 0 * inf. */
  TEST_FP_RR 26, fsub.s, s, rne, QNAN, FFLAGS_NV, 0x7f800000, 0x7f800000
  TEST_FP_RR 27, fmul.s, s, rne, QNAN, FFLAGS_NV, 0, 0x7f800000
  /* OF: max * 2 overflows to inf (RNE) or max (RTZ), always with NX. */
  TEST_FP_RR 28, fmul.s, s, rne, 0x7f800000, FFLAGS_OF | FFLAGS_NX, 0x7f7fffff, 0x40000000
  TEST_FP_RR 29, fmul.s, s, rtz, 0x7f7fffff, FFLAGS_OF | FFLAGS_NX, 0x7f7fffff, 0x40000000
  TEST_FP_RR 30, fmul.s, s, rup, 0xff7fffff, FFLAGS_OF | FFLAGS_NX, 0xff7fffff, 0x40000000
  /* UF: a tiny inexact result; a tiny exact result raises nothing. */
  TEST_FP_RR 31, fmul.s, s, rne, 0x00400000, FFLAGS_UF | FFLAGS_NX, 0x00800001, 0x3f000000
  TEST_FP_RR 32, fmul.s, s, rne, 0x00400000, 0, 0x00800000, 0x3f000000
  /* Signalling NaN input: NV and the canonical NaN. */
  TEST_FP_RR 33, fadd.s, s, rne, QNAN, FFLAGS_NV, 0x7f800001, ONE
  /* Quiet NaN input: canonical NaN, no flags (payload not propagated). */
  TEST_FP_RR 34, fmul.s, s, rne, QNAN, 0, 0xffc12345, ONE
  /* Flags accumulate until cleared. */
  TEST 35
  csrw fflags, zero
  li t0, ONE
  fmv.w.x ft0, t0
  fmv.w.x ft1, zero
  fdiv.s ft2, ft0, ft1
  fsub.s ft3, ft2, ft2
  CHECK_FLAGS FFLAGS_DZ | FFLAGS_NV
  j pass
