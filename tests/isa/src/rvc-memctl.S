/* RVC loads, stores and control transfer: c.lw, c.ld, c.sw, c.sd, c.lwsp, c.ldsp, c.swsp,
 * c.sdsp, c.fld, c.fsd, c.fldsp, c.fsdsp, c.j, c.jr, c.jalr, c.beqz, c.bnez, c.ebreak, and
 * (explicit c.* mnemonics: the assembler emits them compressed or fails), and
 * the all-zero 16-bit word being an illegal instruction (tval = 0). */
#include "test.h"

  .text
  .globl test_main
test_main:
  la s0, data
  TEST 1
  C c.lw a0, 4(s0)
  CHECK a0, 0xffffffff89abcdef
  C c.ld a1, 8(s0)
  CHECK a1, 0x0011223344556677
  TEST 2
  li a2, 0x1111222233334444
  C c.sw a2, 16(s0)
  C c.sd a2, 24(s0)
  ld t0, 16(s0)
  CHECK t0, 0x33334444
  ld t0, 24(s0)
  CHECK t0, 0x1111222233334444

  /* sp-relative forms, with sp pointing into data. */
  mv s1, sp
  mv sp, s0
  TEST 3
  C c.lwsp a3, 0(sp)
  CHECK a3, 0x01234567
  C c.ldsp a4, 8(sp)
  CHECK a4, 0x0011223344556677
  TEST 4
  li a5, -2
  C c.swsp a5, 32(sp)
  C c.sdsp a5, 40(sp)
  ld t0, 32(s0)
  CHECK t0, 0xfffffffe
  ld t0, 40(s0)
  CHECK t0, -2
  TEST 5
  C c.fldsp fa0, 8(sp)
  CHECK_D fa0, 0x0011223344556677
  C c.fsdsp fa0, 48(sp)
  ld t0, 48(s0)
  CHECK t0, 0x0011223344556677
  mv sp, s1
  TEST 6
  C c.fld fa1, 24(s0)
  CHECK_D fa1, 0x1111222233334444
  C c.fsd fa1, 56(s0)
  ld t0, 56(s0)
  CHECK t0, 0x1111222233334444

  /* Control transfer. */
  TEST 7
  li t1, 0
  c.j 1f
  li t1, 1
1:
  CHECK t1, 0
  TEST 8
  la t0, 2f
  c.jr t0
  j fail
2:
  TEST 9
  la t0, 3f
  c.jalr t0
4:
  j fail
3:
  la t2, 4b
  CHECKR ra, t2              /* link = pc + 2 */
  TEST 10
  li a0, 0
  c.beqz a0, 5f
  j fail
5:
  c.bnez a0, fail_near
  li a0, 1
  c.bnez a0, 6f
  j fail
6:
  c.beqz a0, fail_near

  TEST 11
  li s11, 0
  la s8, 8f
7:
  C c.ebreak
8:
  CHECK s11, 1
  CHECK s10, CAUSE_BREAKPOINT
  la t0, 7b
  CHECKR s6, t0              /* epc = the c.ebreak itself */
  TEST 12
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, .2byte 0
  CHECK s9, 0
  j pass
fail_near:
  j fail

  .data
  .align 3
data:
  .word 0x01234567, 0x89abcdef
  .dword 0x0011223344556677
  .fill 6, 8, 0
