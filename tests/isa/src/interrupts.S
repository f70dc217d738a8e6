/* Machine interrupts: CLINT software (MSI) and timer (MTI) interrupts with their causes,
 * vectored mtvec, and WFI waking on a pending enabled interrupt even with mstatus.MIE = 0. */
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
  /* Software interrupt through CLINT msip. */
  TEST 1
  li t2, CLINT_MSIP
  li t3, 1
  sw t3, 0(t2)
  TAKE_ONE MIP_MSIP
  CHECK s10, INTERRUPT(IRQ_M_SOFT)
  csrr t0, mip
  andi t0, t0, MIP_MSIP
  CHECK t0, MIP_MSIP
  sw zero, 0(t2)
  csrr t0, mip
  andi t0, t0, MIP_MSIP
  CHECK t0, 0

  /* Timer interrupt: mtimecmp = mtime + 50. */
  TEST 2
  li t2, CLINT_MTIME
  ld t3, 0(t2)
  addi t3, t3, 50
  li t2, CLINT_MTIMECMP
  sd t3, 0(t2)
  TAKE_ONE MIP_MTIP
  CHECK s10, INTERRUPT(IRQ_M_TIMER)
  li t3, -1
  sd t3, 0(t2)
  csrr t0, mip
  andi t0, t0, MIP_MTIP
  CHECK t0, 0

  /* (priority between pending interrupts: interrupts-priority.S) */

  /* WFI returns on a pending enabled interrupt although MIE = 0, and takes no trap. */
  TEST 6
  csrci mstatus, MSTATUS_MIE
  li t0, MIP_MSIP
  csrw mie, t0
  li t2, CLINT_MSIP
  li t3, 1
  sw t3, 0(t2)
  li s11, 0
  wfi
  CHECK s11, 0
  csrr t0, mip
  andi t0, t0, MIP_MSIP
  CHECK t0, MIP_MSIP
  sw zero, 0(t2)
  csrw mie, zero

  /* Vectored mtvec: an interrupt goes to BASE + 4 * cause. */
  TEST 7
  la t0, vector_table
  ori t0, t0, 1
  csrw mtvec, t0
  li t3, 1
  sw t3, 0(t2)
  TAKE_ONE MIP_MSIP
  CHECK s10, INTERRUPT(IRQ_M_SOFT)
  la t0, vector_hit
  ld t1, 0(t0)
  CHECK t1, IRQ_M_SOFT
  sw zero, 0(t2)
  la t0, trap_vector_m
  csrw mtvec, t0
  j pass

/* Vector table: entry n records n in vector_hit, then runs the common handler
 * (exceptions use entry 0). */
  .align 8
vector_table:
  .option push
  .option norvc
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
  j vector_\n
  .endr
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
vector_\n:
  csrw mscratch, t0
  la t0, vector_hit
  sd zero, 0(t0)
  addi s2, zero, \n
  sd s2, 0(t0)
  csrr t0, mscratch
  j trap_vector_m
  .endr
  .option pop

  .data
  .align 3
vector_hit: .dword -1
