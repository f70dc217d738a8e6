/* Zicsr: csrrs/csrrc with rs1 != x0 attempt a write even when the register holds 0
 * (unprivileged spec 9.1), so on a read-only CSR they are illegal instructions; with
 * rs1 = x0 they are plain reads.
 * Known: QEMU 7.2 decides by the value instead of the register number, so this program
 * fails there at case 1 (a QEMU bug). */
#include "test.h"

  .text
  .globl test_main
test_main:
  TEST 1
  li t1, 0
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrrs t0, instret, t1
  TEST 2
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrrc t0, mhartid, t1
  TEST 3
  csrrs t0, instret, x0
  csrrc t0, mhartid, x0
  CHECK t0, 0
  j pass
