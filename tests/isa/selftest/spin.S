/* Runner self-test: never reports, so the runner must stop at maxInstructions with 'timeout'. */
#include "test.h"
  .text
  .globl test_main
test_main:
  TEST 1
1:
  j 1b
