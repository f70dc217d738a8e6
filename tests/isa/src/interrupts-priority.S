/* Interrupt priority (priv spec 3.1.9): with MSI, SSI and STI pending and enabled at once
 * (SSIP/STIP set through mip, none delegated) they are taken in the order MSI, SSI, STI.
 * Known: QEMU 7.2 takes SSI before MSI (seen with -d int), so this fails there at case 30. */
#include "test.h"
#define INTERRUPT(n) (CAUSE_INTERRUPT | (n))
#define SPIN_LIMIT 1000000

/* Enable mie = `bits` and mstatus.MIE, wait until a trap is counted, disable again. */
.macro TAKE_ONE bits
  li s11, 0
  li t0, \bits
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  li t1, SPIN_LIMIT
.Lspin\@:
  bnez s11, .Ltaken\@
  addi t1, t1, -1
  bnez t1, .Lspin\@
.Ltaken\@:
  csrci mstatus, MSTATUS_MIE
  CHECK s11, 1
.endm

  .text
  .globl test_main
test_main:
  li t2, CLINT_MTIMECMP        /* no timer interrupt pending */
  li t3, -1
  sd t3, 0(t2)
  /* Priority: MSI, SSI and STI pending together (none delegated). */
  TEST 3
  csrw mideleg, zero
  csrw CSR_MENVCFG, zero        /* STCE = 0: STIP is an ordinary writable mip bit */
  li t0, MIP_SSIP | MIP_STIP
  csrs mip, t0
  li t2, CLINT_MSIP
  li t3, 1
  sw t3, 0(t2)
  csrr t0, mip
  li t1, MIP_MSIP | MIP_SSIP | MIP_STIP | MIP_MTIP
  and t0, t0, t1
  CHECK t0, MIP_MSIP | MIP_SSIP | MIP_STIP
  TEST 30
  TAKE_ONE MIP_MSIP | MIP_SSIP | MIP_STIP
  CHECK s10, INTERRUPT(IRQ_M_SOFT)
  sw zero, 0(t2)
  TEST 4
  TAKE_ONE MIP_MSIP | MIP_SSIP | MIP_STIP
  CHECK s10, INTERRUPT(IRQ_S_SOFT)
  csrci mip, MIP_SSIP
  TEST 5
  TAKE_ONE MIP_MSIP | MIP_SSIP | MIP_STIP
  CHECK s10, INTERRUPT(IRQ_S_TIMER)
  li t0, MIP_STIP
  csrc mip, t0

  j pass
