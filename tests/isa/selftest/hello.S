/* Runner self-test: prints "hello\n" through HTIF putchar, then passes. */
#include "test.h"
  .text
  .globl test_main
test_main:
  TEST 1
  la s0, message
1:
  lbu a0, 0(s0)
  beqz a0, 2f
  PUTC
  addi s0, s0, 1
  j 1b
2:
  j pass

  .section .rodata
message: .string "hello\n"
