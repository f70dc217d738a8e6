/* RV64I loads and stores of every width: sign and zero extension, byte order (little
 * endian), partial overwrites, negative offsets, and a load into x0. */
#include "test.h"

.macro TEST_LD n, op, result, offset
  TEST \n
  la t0, data
  \op t1, \offset(t0)
  CHECK t1, \result
.endm

  .text
  .globl test_main
test_main:
  TEST_LD 1, lb, 0xfffffffffffffff0, 0
  TEST_LD 2, lbu, 0xf0, 0
  TEST_LD 3, lb, 0x7f, 1
  TEST_LD 4, lh, 0x7ff0, 0
  TEST_LD 5, lh, 0xffffffffffff8001, 2
  TEST_LD 6, lhu, 0x8001, 2
  TEST_LD 7, lw, 0xffffffff80017ff0, 0
  TEST_LD 8, lwu, 0x80017ff0, 0
  TEST_LD 9, lw, 0x12345678, 4
  TEST_LD 10, ld, 0x1234567880017ff0, 0
  TEST_LD 11, ld, 0x8877665544332211, 8
  TEST_LD 12, lbu, 0x88, 15
  TEST_LD 13, lb, 0xffffffffffffff88, 15

  /* Negative offset. */
  TEST 14
  la t0, data + 16
  ld t1, -8(t0)
  CHECK t1, 0x8877665544332211
  lhu t1, -2(t0)
  CHECK t1, 0x8877

  /* Stores write exactly their width. */
  TEST 15
  la t0, scratch
  li t1, -1
  sd t1, 0(t0)
  li t1, 0x1122334455667788
  sb t1, 0(t0)
  ld t2, 0(t0)
  CHECK t2, 0xffffffffffffff88
  TEST 16
  sh t1, 2(t0)
  ld t2, 0(t0)
  CHECK t2, 0xffffffff7788ff88
  TEST 17
  sw t1, 4(t0)
  ld t2, 0(t0)
  CHECK t2, 0x556677887788ff88
  TEST 18
  sd t1, 8(t0)
  ld t2, 8(t0)
  CHECK t2, 0x1122334455667788
  lbu t2, 15(t0)
  CHECK t2, 0x11
  TEST 19
  sb zero, -1(t0)   /* the byte before scratch: the last byte of data */
  la t1, data
  ld t2, 8(t1)
  CHECK t2, 0x0077665544332211

  /* A load into x0 is performed but discarded. */
  TEST 20
  lw x0, 0(t0)
  CHECK x0, 0
  j pass

  .data
  .align 3
data:
  .dword 0x1234567880017ff0
  .dword 0x8877665544332211
scratch:
  .dword 0
  .dword 0
