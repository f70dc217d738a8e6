/* Zicsr and Zicntr: csrrw/csrrs/csrrc and their immediate forms return the old value and
 * write the new one; csrrs/csrrc with rs1 = x0 (or uimm = 0) do not write, so they may read
 * read-only CSRs, while any write to a read-only CSR is illegal with tval = the instruction;
 * cycle/time/instret are readable, instret counts retired instructions; mcounteren gates U-mode access. */
#include "test.h"

  .text
  .globl test_main
test_main:
  TEST 1
  li t0, 0x1234
  csrw mscratch, t0
  li t1, 0xff00
  csrrw t2, mscratch, t1
  CHECK t2, 0x1234
  csrr t2, mscratch
  CHECK t2, 0xff00
  TEST 2
  li t1, 0x00ff
  csrrs t2, mscratch, t1
  CHECK t2, 0xff00
  csrr t2, mscratch
  CHECK t2, 0xffff
  TEST 3
  li t1, 0x0f0f
  csrrc t2, mscratch, t1
  CHECK t2, 0xffff
  csrr t2, mscratch
  CHECK t2, 0xf0f0
  TEST 4
  csrrwi t2, mscratch, 0x1f
  CHECK t2, 0xf0f0
  csrrsi t2, mscratch, 0x20 >> 1
  CHECK t2, 0x1f
  csrrci t2, mscratch, 0x3
  CHECK t2, 0x1f
  csrr t2, mscratch
  CHECK t2, 0x1c
  /* rd = rs1: the old value is read before the write. */
  TEST 5
  li t3, 0x55
  csrrw t3, mscratch, t3
  CHECK t3, 0x1c
  csrr t2, mscratch
  CHECK t2, 0x55

  /* Read-only CSRs: reads with rs1 = x0 / uimm = 0 are fine, writes are illegal. */
  TEST 6
  csrrs t0, mvendorid, x0
  csrrci t0, mhartid, 0
  CHECK t0, 0
  csrr t0, cycle
  TEST 7
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrw cycle, t0
  li t1, 0xc0029073        /* csrw cycle, t0 */
  CHECKR s9, t1
  /* (csrrs with an rs1 != x0 holding 0 is in zicsr-write-zero.S) */
  TEST 9
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrrwi t0, mhartid, 0
  TEST 10
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrrsi t0, mimpid, 1
  /* A CSR that does not exist is illegal (0x7ff is a custom M read/write number). */
  TEST 11
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrr t0, 0x7ff
  /* Accessing an M CSR from S is illegal. */
  TEST 12
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrr t0, mscratch
  RETURN_TO_M

  /* instret: counts exactly the instructions retired between two reads. */
  TEST 13
  csrr t0, instret
  nop
  nop
  csrr t1, instret
  sub t2, t1, t0
  CHECK t2, 3
  /* (a csrw of minstret not counting itself is in zicntr-minstret-write.S) */
  /* cycle is readable and does not go backwards (time: zicntr-time.S). */
  TEST 15
  csrr t0, cycle
  li t3, 1000
1:
  addi t3, t3, -1
  bnez t3, 1b
  csrr t2, cycle
  bltu t2, t0, fail

  /* mcounteren: with CY clear U-mode cycle reads are illegal, with it set they work. */
  TEST 17
  csrw mcounteren, zero
  ENTER_MODE PRV_U
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, rdcycle t0
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, rdinstret t0
  RETURN_TO_M
  TEST 18
  li t0, 7
  csrw mcounteren, t0
  csrw scounteren, t0
  ENTER_MODE PRV_U
  rdcycle t0
  rdinstret t0
  RETURN_TO_M
  j pass
