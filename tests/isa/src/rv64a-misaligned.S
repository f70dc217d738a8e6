/* RV64A: a misaligned AMO must raise store/AMO address-misaligned (cause 6) or store/AMO
 * access fault (cause 7), with tval = the address (priv spec 3.7: AMOs never raise a load
 * exception). Even with misaligned loads and stores done in hardware, AMOs trap.
 * Known: QEMU 7.2 reports cause 4 (load address-misaligned) here, a QEMU bug, so this
 * program fails on QEMU 7.2's spike board at case 1. */
#include "test.h"

.macro TEST_AMO_MISALIGNED n, insn:vararg
  TEST \n
  TRY \insn
  CHECK s11, 1
  addi t4, s10, -CAUSE_MISALIGNED_STORE
  li t5, CAUSE_STORE_ACCESS - CAUSE_MISALIGNED_STORE
  bgtu t4, t5, fail
  CHECKR s9, t0
  /* Memory is unchanged. */
  la t4, cell
  ld t5, 0(t4)
  CHECK t5, 0x0123456789abcdef
.endm

  .text
  .globl test_main
test_main:
  la t0, cell
  li t1, 0x0123456789abcdef
  sd t1, 0(t0)
  li t2, 1
  la t0, cell + 4
  TEST_AMO_MISALIGNED 1, amoadd.d t3, t2, (t0)
  la t0, cell + 2
  TEST_AMO_MISALIGNED 2, amoswap.w t3, t2, (t0)
  la t0, cell + 1
  TEST_AMO_MISALIGNED 3, amoor.w t3, t2, (t0)
  la t0, cell + 4
  TEST_AMO_MISALIGNED 4, sc.d t3, t2, (t0)
  j pass

  .data
  .align 3
cell: .dword 0
  .dword 0
