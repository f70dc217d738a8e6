/* Accesses that straddle two 4 KiB pages with Sv39 paging on (S-mode, page faults delegated
 * to S). A 32-bit instruction whose second half lies on the next page executes when both
 * pages are executable, and otherwise raises a fetch page fault with sepc = the instruction
 * and stval = the start of the second page (privileged spec 3.1.16: "the portion of the
 * instruction that caused the fault"; QEMU and Spike report the page boundary). Misaligned
 * loads and stores are performed, also across a page boundary; one that reaches into a page
 * it may not access faults with stval inside the faulting portion and, for a store, leaves
 * both pages unchanged. */
#include "test.h"

#define RAM_BASE 0x80000000
#define LEVEL0_SPAN (512 * PAGE_SIZE)
#define PTE_KERNEL (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define PTE_DATA (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PTE_CODE (PTE_V | PTE_R | PTE_X | PTE_A)

.macro PTE_OF reg, addr_reg, flags
  srli \reg, \addr_reg, PAGE_SHIFT
  slli \reg, \reg, PTE_PPN_SHIFT
  ori \reg, \reg, \flags
.endm

/* Give the identity 4 KiB page holding `label` the PTE flags `flags`; sfence.vma.
 * Works from M and S. Clobbers t0-t3. */
.macro SET_PAGE label, flags
  la t0, \label
  PTE_OF t2, t0, \flags
  srli t1, t0, PAGE_SHIFT
  andi t1, t1, 511
  slli t1, t1, 3
  la t3, l0
  add t1, t1, t3
  sd t2, 0(t1)
  sfence.vma
.endm

/* Fail unless lo <= reg < hi (registers). */
.macro CHECK_RANGE reg, lo, hi
  bltu \reg, \lo, fail
  bgeu \reg, \hi, fail
.endm

  .text
  .globl test_main
test_main:
  TEST 1
  la t0, _end
  li t1, RAM_BASE + LEVEL0_SPAN
  bgtu t0, t1, fail
  /* The straddling instructions sit where this program expects them. */
  la t0, cross32
  slli t0, t0, 64 - PAGE_SHIFT    /* offset in the page */
  srli t0, t0, 64 - PAGE_SHIFT
  CHECK t0, PAGE_SIZE - 2
  la t0, cross16
  slli t0, t0, 64 - PAGE_SHIFT    /* offset in the page */
  srli t0, t0, 64 - PAGE_SHIFT
  CHECK t0, PAGE_SIZE - 2

  /* Sv39: root[2] -> l1[0] -> l0, identity 4 KiB pages over RAM's first 2 MiB. */
  la t0, l1
  PTE_OF t1, t0, PTE_V
  la t2, root
  sd t1, 2 * 8(t2)
  la t0, l0
  PTE_OF t1, t0, PTE_V
  la t2, l1
  sd t1, 0(t2)
  la t2, l0
  li t0, RAM_BASE
  li t3, 512
  li t4, PAGE_SIZE
1:
  PTE_OF t1, t0, PTE_KERNEL
  sd t1, 0(t2)
  addi t2, t2, 8
  add t0, t0, t4
  addi t3, t3, -1
  bnez t3, 1b
  la t0, root
  srli t0, t0, PAGE_SHIFT
  li t1, SATP_MODE_SV39 << SATP_MODE_SHIFT
  or t0, t0, t1
  csrw satp, t0
  sfence.vma
  li t0, (1 << CAUSE_FETCH_PAGE_FAULT) | (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT)
  csrw medeleg, t0
  ENTER_MODE PRV_S

  /* A 32-bit instruction across two executable pages runs. */
  TEST 2
  li a0, 40
  la t0, cross32
  jalr t0
  CHECK a0, 41
  /* Second page not mapped: fetch page fault, nothing executed. */
  TEST 3
  SET_PAGE code_b, 0
  li a0, 40
  la t5, cross32
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t5
  CHECK s7, PRV_S
  CHECKR s6, t5
  la t0, code_b
  CHECKR s9, t0
  CHECK a0, 40
  /* Second page readable but not executable: the same. */
  TEST 4
  SET_PAGE code_b, PTE_DATA
  li a0, 40
  la t5, cross32
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t5
  CHECKR s6, t5
  la t0, code_b
  CHECKR s9, t0
  CHECK a0, 40
  SET_PAGE code_b, PTE_CODE
  li a0, 40
  la t0, cross32
  jalr t0
  CHECK a0, 41
  /* A 16-bit instruction ending a page runs; the fault is on the next instruction. */
  TEST 5
  SET_PAGE code_d, 0
  li a0, 40
  la t5, cross16
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t5
  CHECK a0, 41
  la t0, code_d
  CHECKR s6, t0
  CHECKR s9, t0
  SET_PAGE code_d, PTE_CODE
  li a0, 40
  la t0, cross16
  jalr t0
  CHECK a0, 41

  /* Misaligned loads and stores inside a page are performed. */
  TEST 6
  la t0, data_a
  ld t1, 3(t0)
  CHECK t1, 0x0a09080706050403
  lw t1, 1(t0)
  CHECK t1, 0x04030201
  lh t1, 7(t0)
  CHECK t1, 0x0807
  lwu t1, 0x1d(t0)
  CHECK t1, 0x201f1e1d
  TEST 7
  li t1, 0x1122334455667788
  sd t1, 0x25(t0)
  ld t2, 0x20(t0)
  CHECK t2, 0x6677882423222120
  ld t2, 0x28(t0)
  CHECK t2, 0x2f2e2d1122334455
  li t1, 0xa1b2c3d4
  sw t1, 0x33(t0)
  ld t2, 0x30(t0)
  CHECK t2, 0x37a1b2c3d4323130
  /* Across the boundary into the next (mapped) page. */
  TEST 8
  la t0, data_b
  ld t1, -3(t0)
  CHECK t1, 0x0403020100fffefd
  lw t1, -1(t0)
  CHECK t1, 0x020100ff
  li t1, 0x8877665544332211
  sd t1, -5(t0)
  ld t2, -8(t0)
  CHECK t2, 0x5544332211faf9f8
  ld t2, 0(t0)
  CHECK t2, 0x0706050403887766

  /* Into a page that is not mapped: faults; the store changes nothing. */
  TEST 9
  SET_PAGE data_d, 0
  la t0, data_d
  addi t5, t0, -3
  addi t6, t5, 8
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t5)
  CHECK s7, PRV_S
  CHECK_RANGE s9, t0, t6
  TEST 10
  li t1, 0x1111111111111111
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd t1, 0(t5)
  CHECK_RANGE s9, t0, t6
  addi t6, t5, 4
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sw t1, 0(t5)
  CHECK_RANGE s9, t0, t6
  ld t2, -8(t0)
  CHECK t2, 0xfffefdfcfbfaf9f8
  /* Into a read-only page: the store faults and neither page changes. */
  TEST 11
  SET_PAGE data_d, PTE_V | PTE_R | PTE_A
  la t0, data_d
  addi t5, t0, -3
  addi t6, t5, 8
  li t1, 0x1111111111111111
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd t1, 0(t5)
  CHECK_RANGE s9, t0, t6
  ld t2, -8(t0)
  CHECK t2, 0xfffefdfcfbfaf9f8
  ld t2, 0(t0)
  CHECK t2, 0x0706050403020100
  /* ... and a load across it is fine. */
  ld t1, 0(t5)
  CHECK t1, 0x0403020100fffefd
  RETURN_TO_M
  j pass

/* Two pairs of code pages; the instructions under test end their first page. */
  .section .text.cross, "ax"
  .option push
  .option norelax
  .option norvc
  .balign PAGE_SIZE
code_a:
  .org PAGE_SIZE - 2
cross32:
  addi a0, a0, 1                /* bytes 0xffe-0xfff of code_a, 0x000-0x001 of code_b */
code_b = cross32 + 2
  ret
  .org 3 * PAGE_SIZE - 2
cross16:
  .option rvc
  C c.addi a0, 1
code_d:
  ret
  .org 4 * PAGE_SIZE
  .option pop

/* Data pages: bytes 0, 1, 2, ... of each page's first 64 bytes, 0xf8-0xff before a boundary. */
.macro PAGE_PATTERN
  .byte 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
  .byte 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
  .org . + PAGE_SIZE - 64 - 8
  .byte 0xf8,0xf9,0xfa,0xfb,0xfc,0xfd,0xfe,0xff
.endm

  .data
  .balign PAGE_SIZE
data_a: PAGE_PATTERN
data_b: PAGE_PATTERN
data_c: PAGE_PATTERN
data_d: PAGE_PATTERN

  .bss
  .balign PAGE_SIZE
root: .skip PAGE_SIZE
l1:   .skip PAGE_SIZE
l0:   .skip PAGE_SIZE
