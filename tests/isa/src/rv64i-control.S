/* RV64I control transfer and upper immediates: every branch taken and not taken (signed and
 * unsigned comparisons), jal/jalr link values, jalr clearing bit 0 of the target, lui/auipc. */
#include "test.h"

/* Branch `op a, b` must be taken (taken = 1) or not (taken = 0). */
.macro TEST_BR n, op, taken, a, b
  TEST \n
  li t0, \a
  li t1, \b
  li t2, 0
  \op t0, t1, .Ltaken\@
  li t2, 1
.Ltaken\@:
  CHECK t2, (1 - \taken)
.endm

  .text
  .globl test_main
test_main:
  TEST_BR 1, beq, 1, 5, 5
  TEST_BR 2, beq, 0, 5, 6
  TEST_BR 3, bne, 1, 5, 6
  TEST_BR 4, bne, 0, -1, -1
  TEST_BR 5, blt, 1, -1, 0
  TEST_BR 6, blt, 0, 0, -1
  TEST_BR 7, blt, 0, 3, 3
  TEST_BR 8, bge, 1, 3, 3
  TEST_BR 9, bge, 1, 0, -1
  TEST_BR 10, bge, 0, -1, 0
  TEST_BR 11, bltu, 1, 0, -1
  TEST_BR 12, bltu, 0, -1, 0
  TEST_BR 13, bltu, 0, 7, 7
  TEST_BR 14, bgeu, 1, -1, 0
  TEST_BR 15, bgeu, 0, 0, -1
  TEST_BR 16, bgeu, 1, 7, 7
  TEST_BR 17, blt, 1, 0x8000000000000000, 0x7fffffffffffffff
  TEST_BR 18, bltu, 0, 0x8000000000000000, 0x7fffffffffffffff

  /* Backward branch. */
  TEST 19
  li t0, 3
  li t1, 0
1:
  addi t1, t1, 1
  addi t0, t0, -1
  bnez t0, 1b
  CHECK t1, 3

  /* jal writes pc + 4 and jumps. */
  TEST 20
  li t1, 0
  jal t0, 2f
11:
  li t1, 1           /* skipped */
2:
  la t2, 11b
  CHECKR t0, t2
  CHECK t1, 0

  /* jalr: target = (rs1 + imm) & ~1, link = pc + 4, rd == rs1 reads rs1 first. */
  TEST 21
  la t0, 3f
  addi t0, t0, -3    /* odd base: +3 lands on 3f + 0, bit 0 cleared */
  jalr t1, 3(t0)
  j fail
3:
  TEST 22
  la t0, 4f
  jalr t0, 0(t0)
4:
  la t1, 4b
  CHECKR t0, t1
  /* jal x0 does not link; jal with a backward offset. */
  TEST 23
  j 6f
5:
  li t3, 55
  j 7f
6:
  li t3, 0
  jal x0, 5b
7:
  CHECK t3, 55

  /* lui: imm << 12, sign-extended to 64 bits. */
  TEST 24
  lui t0, 0x80000
  CHECK t0, 0xffffffff80000000
  TEST 25
  lui t0, 0x7ffff
  CHECK t0, 0x7ffff000
  TEST 26
  lui t0, 0
  CHECK t0, 0
  /* auipc: pc + (imm << 12), sign-extended. */
  TEST 27
8:
  auipc t0, 0
  la t1, 8b
  CHECKR t0, t1
  TEST 28
9:
  auipc t0, 0xfffff     /* -4096 */
  la t1, 9b
  sub t0, t1, t0
  CHECK t0, 4096
  TEST 29
10:
  auipc t0, 0x80000     /* pc - 2 GiB */
  la t1, 10b
  sub t0, t1, t0
  CHECK t0, 0x80000000
  j pass
