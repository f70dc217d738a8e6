/* F/D NaN handling and sign operations: NaN boxing (flw, fmv.w.x, unboxed inputs read as the
 * canonical NaN), fmv.x.w sign extension, fmin/fmax with NaNs and signed zeros, fsgnj family,
 * fclass of every class, compares and their NV rules. */
#include "test.h"
#define QNAN_D 0x7ff8000000000000
#define SNAN_D 0x7ff0000000000001
#define ONE_D  0x3ff0000000000000
#define QNAN_S 0x7fc00000
#define SNAN_S 0x7f800001
#define ONE_S  0x3f800000

.macro TEST_CLASS n, op, mv, bits, class
  TEST \n
  li t0, \bits
  \mv ft0, t0
  \op t1, ft0
  CHECK t1, \class
.endm

.macro TEST_CMP n, op, mv, result, flags, a, b
  TEST \n
  csrw fflags, zero
  li t0, \a
  li t1, \b
  \mv ft0, t0
  \mv ft1, t1
  \op t2, ft0, ft1
  CHECK t2, \result
  CHECK_FLAGS \flags
.endm

  .text
  .globl test_main
test_main:
  /* flw and fmv.w.x NaN-box: the upper 32 bits become ones. */
  TEST 1
  la t0, data
  flw fa0, 0(t0)
  fmv.x.d t1, fa0
  CHECK t1, 0xffffffffbf800000
  li t1, 0x1234
  fmv.w.x fa1, t1
  CHECK_S fa1, 0x1234
  /* fmv.x.w sign-extends bit 31; fsw stores the low 32 bits. */
  TEST 2
  fmv.x.w t1, fa0
  CHECK t1, 0xffffffffbf800000
  fsw fa0, 8(t0)
  lwu t1, 8(t0)
  CHECK t1, 0xbf800000
  /* An improperly boxed single input is the canonical NaN. */
  TEST 3
  li t1, 0x000000003f800000
  fmv.d.x ft0, t1
  li t1, ONE_S
  fmv.w.x ft1, t1
  csrw fflags, zero
  fadd.s fa0, ft0, ft1
  CHECK_S fa0, QNAN_S
  CHECK_FLAGS 0
  fsgnj.s fa0, ft1, ft0          /* sign from canonical NaN: + */
  CHECK_S fa0, ONE_S
  fsgnjn.s fa0, ft1, ft0
  CHECK_S fa0, 0xbf800000
  fmv.x.w t1, ft0                /* fmv.x.w moves the raw low bits, no unboxing */
  CHECK t1, 0x3f800000
  TEST_CLASS 4, fclass.s, fmv.d.x, 0x000000003f800000, 1 << 9

  /* fmin/fmax: one NaN operand returns the other; two NaNs the canonical NaN;
   * -0 < +0; a signalling NaN raises NV. */
  TEST_FP_RR 5, fmin.d, d, , ONE_D, 0, QNAN_D, ONE_D
  TEST_FP_RR 6, fmax.d, d, , ONE_D, 0, ONE_D, QNAN_D
  TEST_FP_RR 7, fmin.d, d, , ONE_D, FFLAGS_NV, SNAN_D, ONE_D
  TEST_FP_RR 8, fmin.d, d, , QNAN_D, 0, QNAN_D, 0xfff8000000000123
  TEST_FP_RR 9, fmax.d, d, , QNAN_D, FFLAGS_NV, SNAN_D, QNAN_D
  TEST_FP_RR 10, fmin.d, d, , 0x8000000000000000, 0, 0x0000000000000000, 0x8000000000000000
  TEST_FP_RR 11, fmax.d, d, , 0x0000000000000000, 0, 0x8000000000000000, 0x0000000000000000
  TEST_FP_RR 12, fmin.s, s, , 0x80000000, 0, 0x00000000, 0x80000000
  TEST_FP_RR 13, fmax.s, s, , ONE_S, FFLAGS_NV, SNAN_S, ONE_S
  TEST_FP_RR 14, fmin.s, s, , 0xc0000000, 0, ONE_S, 0xc0000000

  /* Sign injection never touches flags or payloads. */
  TEST_FP_RR 15, fsgnj.d, d, , 0xfff0000000000001, 0, SNAN_D, 0xbff0000000000000
  TEST_FP_RR 16, fsgnjn.d, d, , 0x3ff0000000000000, 0, ONE_D, 0xbff0000000000000
  TEST_FP_RR 17, fsgnjx.d, d, , 0xbff0000000000000, 0, 0xbff0000000000000, 0x4000000000000000
  TEST_FP_RR 18, fsgnjx.d, d, , 0x3ff0000000000000, 0, 0xbff0000000000000, 0x8000000000000000
  TEST_FP_RR 19, fsgnjx.s, s, , 0xbf800000, 0, ONE_S, 0x80000000

  /* fclass.d: one bit per class. */
  TEST_CLASS 20, fclass.d, fmv.d.x, 0xfff0000000000000, 1 << 0
  TEST_CLASS 21, fclass.d, fmv.d.x, 0xbff0000000000000, 1 << 1
  TEST_CLASS 22, fclass.d, fmv.d.x, 0x800fffffffffffff, 1 << 2
  TEST_CLASS 23, fclass.d, fmv.d.x, 0x8000000000000000, 1 << 3
  TEST_CLASS 24, fclass.d, fmv.d.x, 0x0000000000000000, 1 << 4
  TEST_CLASS 25, fclass.d, fmv.d.x, 0x0000000000000001, 1 << 5
  TEST_CLASS 26, fclass.d, fmv.d.x, 0x3ff0000000000000, 1 << 6
  TEST_CLASS 27, fclass.d, fmv.d.x, 0x7ff0000000000000, 1 << 7
  TEST_CLASS 28, fclass.d, fmv.d.x, SNAN_D, 1 << 8
  TEST_CLASS 29, fclass.d, fmv.d.x, QNAN_D, 1 << 9
  TEST_CLASS 30, fclass.s, fmv.w.x, 0xff800000, 1 << 0
  TEST_CLASS 31, fclass.s, fmv.w.x, 0x807fffff, 1 << 2
  TEST_CLASS 32, fclass.s, fmv.w.x, 0x00000000, 1 << 4
  TEST_CLASS 33, fclass.s, fmv.w.x, 0x7f800000, 1 << 7
  TEST_CLASS 34, fclass.s, fmv.w.x, SNAN_S, 1 << 8
  TEST_CLASS 35, fclass.s, fmv.w.x, QNAN_S, 1 << 9

  /* Compares: feq is quiet (NV only for signalling NaNs), flt/fle signal on any NaN. */
  TEST_CMP 36, feq.d, fmv.d.x, 1, 0, ONE_D, ONE_D
  TEST_CMP 37, feq.d, fmv.d.x, 1, 0, 0x8000000000000000, 0
  TEST_CMP 38, feq.d, fmv.d.x, 0, 0, QNAN_D, QNAN_D
  TEST_CMP 39, feq.d, fmv.d.x, 0, FFLAGS_NV, SNAN_D, ONE_D
  TEST_CMP 40, flt.d, fmv.d.x, 0, FFLAGS_NV, QNAN_D, ONE_D
  TEST_CMP 41, fle.d, fmv.d.x, 0, FFLAGS_NV, ONE_D, QNAN_D
  TEST_CMP 42, flt.d, fmv.d.x, 1, 0, 0xbff0000000000000, ONE_D
  TEST_CMP 43, fle.d, fmv.d.x, 1, 0, 0x8000000000000000, 0
  TEST_CMP 44, flt.d, fmv.d.x, 0, 0, 0x8000000000000000, 0
  TEST_CMP 45, feq.s, fmv.w.x, 0, FFLAGS_NV, SNAN_S, SNAN_S
  TEST_CMP 46, flt.s, fmv.w.x, 1, 0, 0xbf800000, ONE_S
  TEST_CMP 47, fle.s, fmv.w.x, 0, FFLAGS_NV, QNAN_S, ONE_S
  j pass

  .data
  .align 3
data:
  .word 0xbf800000, 0
  .dword 0
