/* Zicntr: an instruction that writes minstret is not also counted by it (priv spec 3.1.10:
 * a CSR write takes effect after the writing instruction has otherwise completed, so its own
 * retirement increment is overwritten); the next read returns exactly the written value.
 * Known: QEMU 7.2 with -icount returns the written value + 1 (it counts the csrw), so this
 * program fails there at case 1. */
#include "test.h"

  .text
  .globl test_main
test_main:
  TEST 1
  li t0, 1000
  csrw minstret, t0
  csrr t1, minstret
  csrr t2, instret
  CHECK t1, 1000
  TEST 2
  CHECK t2, 1001
  TEST 3
  li t0, -1
  csrw minstret, t0
  csrr t1, minstret
  csrr t2, minstret
  CHECK t1, -1
  CHECK t2, 0           /* wraps */
  j pass
