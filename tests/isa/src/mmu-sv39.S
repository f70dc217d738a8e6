/* Sv39 address translation (privileged spec 4.3-4.4). Page tables built here map the
 * program's first 2 MiB as 4 KiB identity pages (so each test page can get its own PTE), the
 * rest of RAM as 2 MiB identity superpages, and RAM again at 0xC0000000 as a 1 GiB superpage.
 * Page faults are delegated to S, so scause/stval/sepc are checked as the S handler saw them.
 * Checked: page faults for V=0, R=0 loads, W=0 stores, X=0 fetches, the reserved W=1 R=0,
 * a pointer PTE at the last level and a non-canonical address; U-bit rules (S never fetches
 * from U pages, loads/stores them only with SUM; U never touches S pages); MXR; hardware A/D
 * updates; misaligned 1 GiB and 2 MiB superpages; sfence.vma; reserved satp modes ignored; and
 * the regression that a satp write unmapping the running page faults on the very next fetch,
 * and sfence.vma dropping cached code translations.
 * Known: QEMU 7.2 implements Sv57, so the last case (satp MODE = Sv57 must be ignored by a hart
 * that, like tabvm, offers only Sv39/Sv48) fails there at case 40; every other case passes. */
#include "test.h"

#define RAM_BASE 0x80000000
#define LEVEL0_SPAN (512 * PAGE_SIZE)       /* VA range of one level-0 table: 2 MiB */
#define MEGAPAGE_SIZE 0x200000
#define GIGAPAGE_SIZE 0x40000000
#define RAM_MEGAPAGES 64                    /* 128 MiB of RAM as 2 MiB pages */
#define ALIAS_1G 0xC0000000                 /* root[3]: RAM again, as one 1 GiB page */
#define ALIAS_2M (RAM_BASE + RAM_MEGAPAGES * MEGAPAGE_SIZE)  /* l1[64]: first 2 MiB again */
#define BAD_1G 0x100000000                  /* root[4]: 1 GiB leaf with PPN[0] != 0 */
#define BAD_2M (ALIAS_2M + MEGAPAGE_SIZE)   /* l1[65]: 2 MiB leaf with PPN[0] != 0 */
#define NONCANONICAL 0x4000000000           /* bit 38 set, bits 63:39 clear */
#define PTE_KERNEL (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

/* reg = PTE pointing at physical address `addr_reg` with `flags`. */
.macro PTE_OF reg, addr_reg, flags
  srli \reg, \addr_reg, PAGE_SHIFT
  slli \reg, \reg, PTE_PPN_SHIFT
  ori \reg, \reg, \flags
.endm

/* Give the identity 4 KiB page holding `label` the PTE flags `flags`, then sfence.vma.
 * Works from M and from S (the tables are mapped). Clobbers t0-t3. */
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

/* reg = address of the level-0 PTE of the page holding `label`. */
.macro PTE_ADDR reg, label, tmp
  la \reg, \label
  srli \reg, \reg, PAGE_SHIFT
  andi \reg, \reg, 511
  slli \reg, \reg, 3
  la \tmp, l0
  add \reg, \reg, \tmp
.endm

/* reg = satp for Sv39 with the root table `root`. */
.macro MAKE_SATP reg, tmp
  la \reg, root
  srli \reg, \reg, PAGE_SHIFT
  li \tmp, SATP_MODE_SV39 << SATP_MODE_SHIFT
  or \reg, \reg, \tmp
.endm

  .text
  .globl test_main
test_main:
  /* Everything the 4 KiB identity table covers must lie in RAM's first 2 MiB. */
  TEST 1
  la t0, _end
  li t1, RAM_BASE + LEVEL0_SPAN
  bgtu t0, t1, fail
  /* The U-mode code must fit its one U page. */
  la t0, user_code
  la t1, user_code_end
  sub t1, t1, t0
  li t0, PAGE_SIZE
  bgtu t1, t0, fail

  /* root[2] -> l1 -> l0: identity 4 KiB pages for the first 2 MiB. */
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
1:
  PTE_OF t1, t0, PTE_KERNEL
  sd t1, 0(t2)
  addi t2, t2, 8
  li t4, PAGE_SIZE
  add t0, t0, t4
  addi t3, t3, -1
  bnez t3, 1b
  /* l1[1..63]: the rest of RAM as 2 MiB identity pages. */
  la t2, l1
  addi t2, t2, 8
  li t0, RAM_BASE + MEGAPAGE_SIZE
  li t3, RAM_MEGAPAGES - 1
  li t4, MEGAPAGE_SIZE
2:
  PTE_OF t1, t0, PTE_KERNEL
  sd t1, 0(t2)
  addi t2, t2, 8
  add t0, t0, t4
  addi t3, t3, -1
  bnez t3, 2b
  /* l1[64]: the first 2 MiB again (read/write); l1[65]: a misaligned 2 MiB leaf. */
  li t0, RAM_BASE
  PTE_OF t1, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t1, 0(t2)
  li t0, RAM_BASE + PAGE_SIZE
  PTE_OF t1, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t1, 8(t2)
  /* root[3]: all of RAM's gigabyte again; root[4]: a misaligned 1 GiB leaf. */
  la t2, root
  li t0, RAM_BASE
  PTE_OF t1, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t1, 3 * 8(t2)
  li t0, RAM_BASE + MEGAPAGE_SIZE
  PTE_OF t1, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t1, 4 * 8(t2)
  /* Test pages. */
  SET_PAGE pg_invalid, 0
  SET_PAGE pg_xonly, PTE_V | PTE_X | PTE_A
  SET_PAGE pg_ronly, PTE_V | PTE_R | PTE_A
  SET_PAGE pg_wonly, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D
  SET_PAGE pg_user, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
  SET_PAGE user_code, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
  SET_PAGE pg_noad, PTE_V | PTE_R | PTE_W
  SET_PAGE pg_pointer, PTE_V
  SET_PAGE pg_window, PTE_V | PTE_R | PTE_A
  MAKE_SATP t0, t1
  csrw satp, t0
  csrr t1, satp
  CHECKR t0, t1
  sfence.vma
  li t0, (1 << CAUSE_FETCH_PAGE_FAULT) | (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT)
  csrw medeleg, t0

  /* Identity 4 KiB pages and both superpage aliases reach the same memory. */
  TEST 2
  ENTER_MODE PRV_S
  la t0, pg_data
  ld t1, 0(t0)
  CHECK t1, 0x1122334455667788
  li t2, ALIAS_1G - RAM_BASE
  add t2, t0, t2
  ld t1, 0(t2)
  CHECK t1, 0x1122334455667788
  li t3, 0x0badcafe
  sd t3, 8(t2)
  ld t1, 8(t0)
  CHECK t1, 0x0badcafe
  li t2, ALIAS_2M - RAM_BASE
  add t2, t0, t2
  ld t1, 8(t2)
  CHECK t1, 0x0badcafe
  /* A 2 MiB identity page beyond the first 2 MiB. */
  li t2, RAM_BASE + 5 * MEGAPAGE_SIZE + 0x1238
  li t3, 0x5a5a
  sd t3, 0(t2)
  ld t1, 0(t2)
  CHECK t1, 0x5a5a

  /* V = 0: every access faults with stval = the address. */
  TEST 3
  la t0, pg_invalid
  addi t0, t0, 16
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECK s7, PRV_S
  CHECKR s9, t0
  la t0, pg_invalid
  addi t0, t0, 16
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd zero, 0(t0)
  CHECK s7, PRV_S
  CHECKR s9, t0
  TEST 4
  la t0, pg_invalid
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t0
  CHECK s7, PRV_S
  CHECKR s9, t0
  CHECKR s6, t0

  /* R = 0 load (X-only page), W = 0 store (R-only page, memory unchanged). */
  TEST 5
  la t0, pg_xonly
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECKR s9, t0
  TEST 6
  la t0, pg_ronly
  ld t1, 0(t0)
  CHECK t1, 0x2222222222222222
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd zero, 0(t0)
  CHECKR s9, t0
  ld t1, 0(t0)
  CHECK t1, 0x2222222222222222
  /* X = 0 fetch: epc and stval are the target. */
  TEST 7
  la t0, pg_ronly
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t0
  CHECKR s9, t0
  CHECKR s6, t0
  /* W = 1, R = 0 is reserved: load, store and fetch all fault. */
  TEST 8
  la t0, pg_wonly
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECKR s9, t0
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd zero, 0(t0)
  CHECKR s9, t0
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t0
  CHECKR s9, t0
  /* A pointer PTE (no R/W/X) at level 0 is not a leaf. */
  TEST 9
  la t0, pg_pointer
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECKR s9, t0
  /* A non-canonical address (bits 63:39 != bit 38). */
  TEST 10
  li t0, NONCANONICAL
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECK s9, NONCANONICAL
  li t0, NONCANONICAL
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd zero, 0(t0)
  CHECK s9, NONCANONICAL

  /* U pages from S: no load/store without SUM, never a fetch. */
  TEST 11
  la t0, pg_user
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECKR s9, t0
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd zero, 0(t0)
  CHECKR s9, t0
  TEST 12
  li t2, MSTATUS_SUM
  csrs sstatus, t2
  la t0, pg_user
  ld t1, 0(t0)
  CHECK t1, 0x3333333333333333
  li t1, 0x4444
  sd t1, 8(t0)
  ld t1, 8(t0)
  CHECK t1, 0x4444
  TEST 13
  la t0, user_code
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t0
  CHECKR s9, t0
  li t2, MSTATUS_SUM
  csrc sstatus, t2
  /* Clearing SUM again takes effect although the page was just accessed. */
  la t0, pg_user
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 8(t0)
  RETURN_TO_M

  /* U never touches S pages; U uses U pages. The code runs in the U page `user_code`. */
  TEST 14
  j user_tests
user_tests_done:

  /* MXR: X-only pages become readable (not writable). */
  TEST 16
  ENTER_MODE PRV_S
  li t2, MSTATUS_MXR
  csrs sstatus, t2
  la t0, pg_xonly
  ld t1, 0(t0)
  CHECK t1, 0x1111111111111111
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd zero, 0(t0)
  CHECKR s9, t0
  /* MXR does not make W-only (reserved) or invalid pages readable. */
  la t0, pg_wonly
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  li t2, MSTATUS_MXR
  csrc sstatus, t2
  la t0, pg_xonly
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)

  /* Hardware A/D: a load sets A only, a store then sets D; the PPN and flags are kept. */
  TEST 17
  PTE_ADDR t5, pg_noad, t6
  ld t1, 0(t5)
  andi t2, t1, PTE_A | PTE_D
  CHECK t2, 0
  la t0, pg_noad
  ld t3, 0(t0)
  CHECK t3, 0x5555555555555555
  ld t2, 0(t5)
  ori t1, t1, PTE_A
  CHECKR t2, t1
  TEST 18
  li t3, 0x6666
  sd t3, 8(t0)
  ld t2, 0(t5)
  ori t1, t1, PTE_D
  CHECKR t2, t1
  ld t3, 8(t0)
  CHECK t3, 0x6666

  /* Misaligned superpages (low PPN fields not zero) fault. */
  TEST 19
  li t0, BAD_1G + 0x40
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECK s9, BAD_1G + 0x40
  TEST 20
  li t0, BAD_2M + 0x80
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd zero, 0(t0)
  CHECK s9, BAD_2M + 0x80

  /* sfence.vma makes a changed PTE visible: pg_window is moved from pg_window's own frame
   * to pg_data's frame, first with a global sfence.vma, then back with an address one. */
  TEST 21
  la t0, pg_window
  ld t1, 0(t0)
  CHECK t1, 0x7777777777777777
  PTE_ADDR t5, pg_window, t6
  la t2, pg_data
  PTE_OF t3, t2, PTE_V | PTE_R | PTE_A
  sd t3, 0(t5)
  sfence.vma
  ld t1, 0(t0)
  CHECK t1, 0x1122334455667788
  TEST 22
  PTE_OF t3, t0, PTE_V | PTE_R | PTE_A
  sd t3, 0(t5)
  sfence.vma t0, zero
  ld t1, 0(t0)
  CHECK t1, 0x7777777777777777
  /* An invalidated PTE faults after sfence.vma. */
  TEST 23
  sd zero, 0(t5)
  sfence.vma t0
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECKR s9, t0
  RETURN_TO_M

  /* satp writes with a reserved MODE (1, 15) have no effect. */
  TEST 24
  csrr t2, satp
  li t0, (1 << SATP_MODE_SHIFT) | 0x1234
  csrw satp, t0
  csrr t1, satp
  CHECKR t1, t2
  li t0, (15 << SATP_MODE_SHIFT) | 0x1234
  csrw satp, t0
  csrr t1, satp
  CHECKR t1, t2
  /* ... also from S, with paging on. */
  TEST 25
  ENTER_MODE PRV_S
  li t0, (15 << SATP_MODE_SHIFT)
  csrw satp, t0
  csrr t1, satp
  CHECKR t1, t2
  RETURN_TO_M

  /* REGRESSION: S runs with satp = Bare from page `reloc_code`, which the Sv39 tables do not
   * map, and turns Sv39 on: the very next fetch must fault to stvec (Linux's
   * relocate_enable_mmu relies on it). */
  TEST 26
  SET_PAGE reloc_code, 0
  csrw satp, zero
  sfence.vma
  MAKE_SATP t0, t1
  la s8, reloc_resume
  li s11, 0
  li s4, MSTATUS_MPP
  csrc mstatus, s4
  li s4, PRV_S << 11
  csrs mstatus, s4
  la s4, reloc_code
  csrw mepc, s4
  mret
reloc_resume:
  li s8, 0
  CHECK s11, 1
  CHECK s10, CAUSE_FETCH_PAGE_FAULT
  CHECK s7, PRV_S
  la t0, reloc_next
  CHECKR s9, t0
  CHECKR s6, t0
  /* Paging is on: the unmapped page still faults, a mapped one is reachable. */
  TEST 27
  la t0, pg_invalid
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  RETURN_TO_M
  csrr t1, satp
  MAKE_SATP t0, t2
  CHECKR t1, t0

  /* sfence.vma also drops cached code translations: a page that just ran faults once its
   * PTE loses X (global fence), then once it is invalid (fence for that address only). */
  TEST 28
  ENTER_MODE PRV_S
  li a0, 1
  la t5, x_code
  jalr t5
  CHECK a0, 2
  SET_PAGE x_code, PTE_V | PTE_R | PTE_A
  la t5, x_code
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t5
  CHECKR s9, t5
  CHECK a0, 2
  TEST 29
  SET_PAGE x_code, PTE_V | PTE_X | PTE_A
  la t5, x_code
  jalr t5
  CHECK a0, 3
  la t5, x_code
  PTE_ADDR t4, x_code, t6
  sd zero, 0(t4)
  sfence.vma t5
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t5
  CHECKR s9, t5
  CHECK a0, 3
  RETURN_TO_M

  /* A fetch sets A (and not D). */
  TEST 30
  SET_PAGE x_code, PTE_V | PTE_X
  ENTER_MODE PRV_S
  la t5, x_code
  jalr t5
  PTE_ADDR t4, x_code, t6
  ld t1, 0(t4)
  andi t1, t1, PTE_A | PTE_D
  CHECK t1, PTE_A
  RETURN_TO_M

  /* Sv57 is not offered (tabvm implements Sv39 and Sv48): the write has no effect.
   * Known to fail on QEMU 7.2, which implements Sv57. */
  TEST 40
  csrr t2, satp
  li t0, (SATP_MODE_SV57 << SATP_MODE_SHIFT)
  csrw satp, t0
  csrr t1, satp
  CHECKR t1, t2
  j pass

/* Code that S runs with satp = Bare from a page the Sv39 tables leave unmapped. */
  .section .text.reloc, "ax"
  .balign PAGE_SIZE
reloc_code:
  sfence.vma
  csrw satp, t0
reloc_next:
  j fail
  .balign PAGE_SIZE

/* A small function alone in its page, for the code-translation fences. */
  .section .text.xcode, "ax"
  .balign PAGE_SIZE
x_code:
  addi a0, a0, 1
  ret
  .balign PAGE_SIZE

/* U-mode tests, alone in a U page (entered and left from M). */
  .section .text.user, "ax"
  .balign PAGE_SIZE
user_code:
user_tests:
  ENTER_MODE PRV_U
  la t0, pg_user
  ld t1, 0(t0)
  CHECK t1, 0x3333333333333333
  li t1, 0x8888
  sd t1, 16(t0)
  ld t1, 16(t0)
  CHECK t1, 0x8888
  la t0, pg_data
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  CHECK s7, PRV_S
  CHECKR s9, t0
  EXPECT_TRAP CAUSE_STORE_PAGE_FAULT, sd zero, 0(t0)
  CHECKR s9, t0
  TEST 15
  la t0, user_target
  EXPECT_TRAP CAUSE_FETCH_PAGE_FAULT, jalr t0
  CHECKR s9, t0
  CHECKR s6, t0
  /* Not even with SUM (which only concerns S). */
  RETURN_TO_M
  li t0, MSTATUS_SUM
  csrs mstatus, t0
  ENTER_MODE PRV_U
  la t0, pg_data
  EXPECT_TRAP CAUSE_LOAD_PAGE_FAULT, ld t1, 0(t0)
  RETURN_TO_M
  li t0, MSTATUS_SUM
  csrc mstatus, t0
  j user_tests_done
user_code_end:
  .balign PAGE_SIZE

  .text
user_target:
  ret

  .data
  .balign PAGE_SIZE
pg_data:    .dword 0x1122334455667788, 0
  .balign PAGE_SIZE
pg_invalid: .dword 0
  .balign PAGE_SIZE
pg_xonly:   .dword 0x1111111111111111
  .balign PAGE_SIZE
pg_ronly:   .dword 0x2222222222222222
  .balign PAGE_SIZE
pg_wonly:   .dword 0
  .balign PAGE_SIZE
pg_user:    .dword 0x3333333333333333, 0, 0
  .balign PAGE_SIZE
pg_noad:    .dword 0x5555555555555555, 0
  .balign PAGE_SIZE
pg_pointer: .dword 0
  .balign PAGE_SIZE
pg_window:  .dword 0x7777777777777777
  .balign PAGE_SIZE

  .bss
  .balign PAGE_SIZE
root: .skip PAGE_SIZE
l1:   .skip PAGE_SIZE
l0:   .skip PAGE_SIZE
