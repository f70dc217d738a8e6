/* Runner self-test: cases 1 and 2 pass, case 3 fails on purpose, so the runner must
 * report status 'fail' with testCase 3. */
#include "test.h"
  .text
  .globl test_main
test_main:
  TEST 1
  li a0, 5
  CHECK a0, 5
  TEST 2
  addi a0, a0, 1
  CHECK a0, 6
  TEST 3
  addi a0, a0, 1
  CHECK a0, 8        /* wrong on purpose: a0 is 7 */
  j pass
