/* RV64A atomic memory operations: every AMO in .w and .d form, the old value returned in rd
 * (sign-extended from 32 bits for .w), the memory result, .w leaving the upper word alone,
 * and rd == rs2 / rd == x0. Misaligned AMOs are in rv64a-misaligned.S. */
#include "test.h"

/* Memory holds `mem`; `op` with operand `val` must return `old` and leave `after` (64 bits). */
.macro TEST_AMO n, op, old, after, mem, val
  TEST \n
  la t0, cell
  li t1, \mem
  sd t1, 0(t0)
  li t2, \val
  \op t3, t2, (t0)
  CHECK t3, \old
  ld t4, 0(t0)
  CHECK t4, \after
.endm

  .text
  .globl test_main
test_main:
  TEST_AMO 1, amoswap.d, 0x8000000000000001, 0x7fffffff00000002, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 2, amoswap.w, 0x1, 0x8000000000000002, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 3, amoswap.d, 0xfedcba9880000000, 0xffffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 4, amoswap.w, 0xffffffff80000000, 0xfedcba98ffffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 5, amoswap.d, 0x5, 0xfffffffffffffffd, 0x5, 0xfffffffffffffffd
  TEST_AMO 6, amoswap.w, 0x5, 0xfffffffd, 0x5, 0xfffffffffffffffd
  TEST_AMO 7, amoswap.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1
  TEST_AMO 8, amoswap.w, 0xffffffffffffffff, 0xffffffff00000001, 0xffffffffffffffff, 0x1
  TEST_AMO 9, amoadd.d, 0x8000000000000001, 0xffffffff00000003, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 10, amoadd.w, 0x1, 0x8000000000000003, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 11, amoadd.d, 0xfedcba9880000000, 0xfedcba997fffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 12, amoadd.w, 0xffffffff80000000, 0xfedcba987fffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 13, amoadd.d, 0x5, 0x2, 0x5, 0xfffffffffffffffd
  TEST_AMO 14, amoadd.w, 0x5, 0x2, 0x5, 0xfffffffffffffffd
  TEST_AMO 15, amoadd.d, 0xffffffffffffffff, 0x0, 0xffffffffffffffff, 0x1
  TEST_AMO 16, amoadd.w, 0xffffffffffffffff, 0xffffffff00000000, 0xffffffffffffffff, 0x1
  TEST_AMO 17, amoxor.d, 0x8000000000000001, 0xffffffff00000003, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 18, amoxor.w, 0x1, 0x8000000000000003, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 19, amoxor.d, 0xfedcba9880000000, 0xfedcba987fffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 20, amoxor.w, 0xffffffff80000000, 0xfedcba987fffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 21, amoxor.d, 0x5, 0xfffffffffffffff8, 0x5, 0xfffffffffffffffd
  TEST_AMO 22, amoxor.w, 0x5, 0xfffffff8, 0x5, 0xfffffffffffffffd
  TEST_AMO 23, amoxor.d, 0xffffffffffffffff, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
  TEST_AMO 24, amoxor.w, 0xffffffffffffffff, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
  TEST_AMO 25, amoand.d, 0x8000000000000001, 0x0, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 26, amoand.w, 0x1, 0x8000000000000000, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 27, amoand.d, 0xfedcba9880000000, 0x80000000, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 28, amoand.w, 0xffffffff80000000, 0xfedcba9880000000, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 29, amoand.d, 0x5, 0x5, 0x5, 0xfffffffffffffffd
  TEST_AMO 30, amoand.w, 0x5, 0x5, 0x5, 0xfffffffffffffffd
  TEST_AMO 31, amoand.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1
  TEST_AMO 32, amoand.w, 0xffffffffffffffff, 0xffffffff00000001, 0xffffffffffffffff, 0x1
  TEST_AMO 33, amoor.d, 0x8000000000000001, 0xffffffff00000003, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 34, amoor.w, 0x1, 0x8000000000000003, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 35, amoor.d, 0xfedcba9880000000, 0xfedcba98ffffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 36, amoor.w, 0xffffffff80000000, 0xfedcba98ffffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 37, amoor.d, 0x5, 0xfffffffffffffffd, 0x5, 0xfffffffffffffffd
  TEST_AMO 38, amoor.w, 0x5, 0xfffffffd, 0x5, 0xfffffffffffffffd
  TEST_AMO 39, amoor.d, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  TEST_AMO 40, amoor.w, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  TEST_AMO 41, amomin.d, 0x8000000000000001, 0x8000000000000001, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 42, amomin.w, 0x1, 0x8000000000000001, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 43, amomin.d, 0xfedcba9880000000, 0xfedcba9880000000, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 44, amomin.w, 0xffffffff80000000, 0xfedcba9880000000, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 45, amomin.d, 0x5, 0xfffffffffffffffd, 0x5, 0xfffffffffffffffd
  TEST_AMO 46, amomin.w, 0x5, 0xfffffffd, 0x5, 0xfffffffffffffffd
  TEST_AMO 47, amomin.d, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  TEST_AMO 48, amomin.w, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  TEST_AMO 49, amomax.d, 0x8000000000000001, 0x7fffffff00000002, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 50, amomax.w, 0x1, 0x8000000000000002, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 51, amomax.d, 0xfedcba9880000000, 0xffffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 52, amomax.w, 0xffffffff80000000, 0xfedcba98ffffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 53, amomax.d, 0x5, 0x5, 0x5, 0xfffffffffffffffd
  TEST_AMO 54, amomax.w, 0x5, 0x5, 0x5, 0xfffffffffffffffd
  TEST_AMO 55, amomax.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1
  TEST_AMO 56, amomax.w, 0xffffffffffffffff, 0xffffffff00000001, 0xffffffffffffffff, 0x1
  TEST_AMO 57, amominu.d, 0x8000000000000001, 0x7fffffff00000002, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 58, amominu.w, 0x1, 0x8000000000000001, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 59, amominu.d, 0xfedcba9880000000, 0xffffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 60, amominu.w, 0xffffffff80000000, 0xfedcba9880000000, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 61, amominu.d, 0x5, 0x5, 0x5, 0xfffffffffffffffd
  TEST_AMO 62, amominu.w, 0x5, 0x5, 0x5, 0xfffffffffffffffd
  TEST_AMO 63, amominu.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1
  TEST_AMO 64, amominu.w, 0xffffffffffffffff, 0xffffffff00000001, 0xffffffffffffffff, 0x1
  TEST_AMO 65, amomaxu.d, 0x8000000000000001, 0x8000000000000001, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 66, amomaxu.w, 0x1, 0x8000000000000002, 0x8000000000000001, 0x7fffffff00000002
  TEST_AMO 67, amomaxu.d, 0xfedcba9880000000, 0xfedcba9880000000, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 68, amomaxu.w, 0xffffffff80000000, 0xfedcba98ffffffff, 0xfedcba9880000000, 0xffffffff
  TEST_AMO 69, amomaxu.d, 0x5, 0xfffffffffffffffd, 0x5, 0xfffffffffffffffd
  TEST_AMO 70, amomaxu.w, 0x5, 0xfffffffd, 0x5, 0xfffffffffffffffd
  TEST_AMO 71, amomaxu.d, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  TEST_AMO 72, amomaxu.w, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
  /* Ordering bits do not change the result. */
  TEST_AMO 100, amoadd.d.aqrl, 40, 42, 40, 2
  TEST_AMO 101, amoor.w.aq, 0x10, 0x11, 0x10, 1
  /* rd == rs2: the old value replaces the operand after the operation used it. */
  TEST 102
  la t0, cell
  li t1, 7
  sd t1, 0(t0)
  li t2, 5
  amoadd.d t2, t2, (t0)
  CHECK t2, 7
  ld t3, 0(t0)
  CHECK t3, 12
  /* rd == x0: memory still updated. */
  TEST 103
  li t2, 1
  amoswap.d x0, t2, (t0)
  ld t3, 0(t0)
  CHECK t3, 1
  j pass

  .data
  .align 3
cell: .dword 0
  .dword 0
