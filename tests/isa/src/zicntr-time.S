/* Zicntr time: the time CSR is readable from M and (with mcounteren.TM) from U, mirrors the
 * CLINT's mtime and advances while instructions run.
 * Known: QEMU 7.2's spike board does not provide the time CSR (rdtime is illegal there), so
 * this program fails on it at case 1; the virt board and tabvm provide it. */
#include "test.h"

  .text
  .globl test_main
test_main:
  TEST 1
  li t0, CLINT_MTIME
  ld t1, 0(t0)
  csrr t2, time
  ld t3, 0(t0)
  bltu t2, t1, fail
  bltu t3, t2, fail
  TEST 2
  csrr t1, time
  li t3, 100000
1:
  addi t3, t3, -1
  bnez t3, 1b
  csrr t2, time
  bgeu t1, t2, fail
  TEST 3
  csrw mcounteren, zero
  ENTER_MODE PRV_U
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, rdtime t0
  RETURN_TO_M
  TEST 4
  li t0, 1 << 1        /* TM: U-mode needs it in both mcounteren and scounteren */
  csrw mcounteren, t0
  csrw scounteren, t0
  ENTER_MODE PRV_U
  rdtime t0
  RETURN_TO_M
  j pass
