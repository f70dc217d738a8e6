/* RV64A load-reserved / store-conditional: lr.w sign extension, sc success (rd = 0, memory
 * written), sc without a reservation failing (rd != 0, memory unchanged), a reservation
 * consumed by a successful sc, sc to another address failing, and a classic retry loop. */
#include "test.h"

  .text
  .globl test_main
test_main:
  /* sc.d with no reservation at all fails and does not write. */
  TEST 1
  la t0, cell
  li t1, 0x1111
  sd t1, 0(t0)
  li t2, 0x2222
  sc.d t3, t2, (t0)
  beqz t3, fail
  ld t4, 0(t0)
  CHECK t4, 0x1111

  /* lr.d / sc.d pair succeeds. */
  TEST 2
  lr.d t3, (t0)
  CHECK t3, 0x1111
  sc.d t4, t2, (t0)
  CHECK t4, 0
  ld t5, 0(t0)
  CHECK t5, 0x2222

  /* The reservation is gone after a successful sc. */
  TEST 3
  li t2, 0x3333
  sc.d t4, t2, (t0)
  beqz t4, fail
  ld t5, 0(t0)
  CHECK t5, 0x2222

  /* lr.w sign-extends; sc.w writes only 32 bits. */
  TEST 4
  li t1, 0x55555555f0000000
  sd t1, 0(t0)
  lr.w t3, (t0)
  CHECK t3, 0xfffffffff0000000
  li t2, 0xaaaaaaaa00000007
  sc.w t4, t2, (t0)
  CHECK t4, 0
  ld t5, 0(t0)
  CHECK t5, 0x5555555500000007

  /* sc to an address other than the reserved one fails. */
  TEST 5
  la t1, other
  sd zero, 0(t1)
  lr.d t3, (t0)
  li t2, 9
  sc.d t4, t2, (t1)
  beqz t4, fail
  ld t5, 0(t1)
  CHECK t5, 0

  /* Retry loop: atomic increment 100 times. */
  TEST 6
  sd zero, 0(t0)
  li t6, 100
1:
  lr.d.aq t3, (t0)
  addi t3, t3, 1
  sc.d.rl t4, t3, (t0)
  bnez t4, 1b
  addi t6, t6, -1
  bnez t6, 1b
  ld t5, 0(t0)
  CHECK t5, 100

  /* A misaligned lr raises load address-misaligned (4) or load access fault (5). */
  TEST 7
  la t0, cell + 4
  TRY lr.d t3, (t0)
  CHECK s11, 1
  addi t4, s10, -CAUSE_MISALIGNED_LOAD
  li t5, 1
  bgtu t4, t5, fail
  CHECKR s9, t0
  j pass

  .data
  .align 3
cell: .dword 0
  .dword 0
other: .dword 0
