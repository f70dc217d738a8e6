/* RV64D arithmetic: fadd/fsub/fmul/fdiv/fsqrt.d in every static rounding mode, the dynamic
 * rounding mode from frm, the frm/fflags/fcsr views of one register, and reserved rounding
 * modes (static 5/6 or frm > 4 with dyn) being illegal instructions. */
#include "test.h"
#define ONE      0x3ff0000000000000
#define MONE     0xbff0000000000000
#define THREE    0x4008000000000000
#define HALF_ULP 0x3ca0000000000000   /* 2^-53 */
#define QNAN     0x7ff8000000000000

  .text
  .globl test_main
test_main:
  TEST_FP_RR 1, fadd.d, d, rne, ONE, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 2, fadd.d, d, rtz, ONE, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 3, fadd.d, d, rdn, ONE, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 4, fadd.d, d, rup, 0x3ff0000000000001, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 5, fadd.d, d, rmm, 0x3ff0000000000001, FFLAGS_NX, ONE, HALF_ULP
  TEST_FP_RR 6, fsub.d, d, rdn, 0xbff0000000000001, FFLAGS_NX, MONE, HALF_ULP
  TEST_FP_RR 7, fsub.d, d, rup, MONE, FFLAGS_NX, MONE, HALF_ULP
  TEST_FP_RR 8, fdiv.d, d, rne, 0x3fd5555555555555, FFLAGS_NX, ONE, THREE
  TEST_FP_RR 9, fdiv.d, d, rup, 0x3fd5555555555556, FFLAGS_NX, ONE, THREE
  TEST_FP_RR 10, fdiv.d, d, rtz, 0x3fd5555555555555, FFLAGS_NX, ONE, THREE
  TEST_FP_RR 11, fmul.d, d, rne, 0xc018000000000000, 0, THREE, 0xc000000000000000
  TEST_FP_R 12, fsqrt.d, d, rne, 0x3ff6a09e667f3bcd, FFLAGS_NX, 0x4000000000000000
  TEST_FP_R 13, fsqrt.d, d, rdn, 0x3ff6a09e667f3bcc, FFLAGS_NX, 0x4000000000000000
  TEST_FP_R 14, fsqrt.d, d, rne, QNAN, FFLAGS_NV, MONE
  TEST_FP_RR 15, fdiv.d, d, rne, 0x7ff0000000000000, FFLAGS_DZ, ONE, 0
  TEST_FP_RR 16, fmul.d, d, rne, 0x7ff0000000000000, FFLAGS_OF | FFLAGS_NX, 0x7fefffffffffffff, 0x4000000000000000
  TEST_FP_RR 17, fmul.d, d, rtz, 0x7fefffffffffffff, FFLAGS_OF | FFLAGS_NX, 0x7fefffffffffffff, 0x4000000000000000
  /* (2^-1022 + 2^-1074) / 2 is halfway between two subnormals: ties to even, UF + NX. */
  TEST_FP_RR 18, fmul.d, d, rne, 0x0008000000000000, FFLAGS_UF | FFLAGS_NX, 0x0010000000000001, 0x3fe0000000000000
  TEST_FP_RR 19, fmul.d, d, rup, 0x0008000000000001, FFLAGS_UF | FFLAGS_NX, 0x0010000000000001, 0x3fe0000000000000
  TEST_FP_RR 20, fsub.d, d, rne, QNAN, FFLAGS_NV, 0xfff0000000000000, 0xfff0000000000000
  TEST_FP_RR 21, fadd.d, d, rne, QNAN, FFLAGS_NV, 0x7ff0000000000001, ONE

  /* Dynamic rounding: frm selects the mode for rm = dyn. */
  TEST 22
  li t0, ONE
  li t1, HALF_ULP
  fmv.d.x ft0, t0
  fmv.d.x ft1, t1
  csrwi frm, FRM_RUP
  fadd.d fa0, ft0, ft1, dyn
  CHECK_D fa0, 0x3ff0000000000001
  csrwi frm, FRM_RTZ
  fadd.d fa0, ft0, ft1, dyn
  CHECK_D fa0, ONE
  csrwi frm, FRM_RMM
  fadd.d fa0, ft0, ft1          /* the assembler's default rm is dyn */
  CHECK_D fa0, 0x3ff0000000000001
  /* A static mode ignores frm. */
  fadd.d fa0, ft0, ft1, rne
  CHECK_D fa0, ONE

  /* fcsr = frm << 5 | fflags; the three CSRs are views of one register. */
  TEST 23
  csrw fcsr, zero
  csrwi frm, FRM_RDN
  csrwi fflags, FFLAGS_NV | FFLAGS_NX
  csrr t0, fcsr
  CHECK t0, (FRM_RDN << 5) | FFLAGS_NV | FFLAGS_NX
  li t1, 0xff
  csrw fcsr, t1
  csrr t0, frm
  CHECK t0, 7
  csrr t0, fflags
  CHECK t0, 0x1f
  csrr t0, fcsr
  CHECK t0, 0xff

  /* Reserved rounding modes: frm = 5/6/7 with dyn, and static rm 5/6, are illegal. */
  TEST 24
  csrwi frm, 5
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, fadd.d fa0, ft0, ft1, dyn
  TEST 25
  csrwi frm, 7
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, fadd.d fa0, ft0, ft1, dyn
  TEST 26
  csrwi frm, FRM_RNE
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, .insn r OP_FP, 5, 0x01, fa0, ft0, ft1 /* fadd.d rm=5 */
  TEST 27
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, .insn r OP_FP, 6, 0x01, fa0, ft0, ft1 /* fadd.d rm=6 */
  csrw fcsr, zero

  /* With mstatus.FS = Off every FP instruction and FP CSR access is illegal. */
  TEST 28
  li t0, MSTATUS_FS
  csrc mstatus, t0
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, fadd.d fa0, ft0, ft1
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrr t1, fcsr
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  /* Writing an FP register makes FS dirty (and SD set). */
  TEST 29
  fmv.d.x fa1, zero
  csrr t0, mstatus
  srli t1, t0, 13
  andi t1, t1, 3
  CHECK t1, 3
  bgez t0, fail
  j pass
