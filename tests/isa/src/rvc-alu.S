/* RVC integer computation: c.li, c.lui, c.addi, c.addiw, c.addi16sp, c.addi4spn, c.slli,
 * c.srli, c.srai, c.andi, c.mv, c.add, c.and, c.or, c.xor, c.sub, c.addw, c.subw, c.nop.
 * The C macro fails the build unless each is really a 16-bit encoding. */
#include "test.h"

  .text
  .globl test_main
test_main:
  TEST 1
  C c.li a0, -32
  CHECK a0, -32
  C c.li a0, 31
  CHECK a0, 31
  TEST 2
  C c.lui a1, 0xfffff          /* nzimm = -1 << 12 */
  CHECK a1, 0xfffffffffffff000
  C c.lui a1, 0x1f
  CHECK a1, 0x1f000
  TEST 3
  li a0, 10
  C c.addi a0, -11
  CHECK a0, -1
  TEST 4
  li a0, 0x7fffffff
  C c.addiw a0, 1
  CHECK a0, 0xffffffff80000000
  li a0, 0x1234567880000000
  C c.addiw a0, 0               /* sext.w */
  CHECK a0, 0xffffffff80000000
  TEST 5
  mv s0, sp
  C c.addi16sp sp, -64
  sub t0, s0, sp
  CHECK t0, 64
  C c.addi16sp sp, 496
  sub t0, sp, s0
  CHECK t0, 432
  mv sp, s0
  TEST 6
  C c.addi4spn a2, sp, 1020
  sub t0, a2, sp
  CHECK t0, 1020
  TEST 7
  li s1, 1
  C c.slli s1, 63
  CHECK s1, 0x8000000000000000
  C c.srai s1, 3
  CHECK s1, 0xf000000000000000
  C c.srli s1, 60
  CHECK s1, 0xf
  TEST 8
  li a3, 0x1234
  C c.andi a3, -16
  CHECK a3, 0x1230
  C c.andi a3, 0x1f
  CHECK a3, 0x10
  TEST 9
  li a4, 77
  C c.mv t3, a4
  CHECK t3, 77
  C c.add t3, a4
  CHECK t3, 154
  TEST 10
  li a4, 0xff00
  li a5, 0x0ff0
  mv s0, a4
  C c.and s0, a5
  CHECK s0, 0x0f00
  mv s0, a4
  C c.or s0, a5
  CHECK s0, 0xfff0
  mv s0, a4
  C c.xor s0, a5
  CHECK s0, 0xf0f0
  mv s0, a5
  C c.sub s0, a4
  CHECK s0, 0xffffffffffff10f0
  TEST 11
  li a4, 0x7fffffff
  li a5, 1
  C c.addw a4, a5
  CHECK a4, 0xffffffff80000000
  li a4, 0x100000000
  C c.subw a4, a5
  CHECK a4, -1
  TEST 12
  li a0, 3
  C c.nop
  CHECK a0, 3
  j pass
