/* Sstc (the stimecmp extension, privileged spec 3.1.18 and chapter "Sstc"): with
 * menvcfg.STCE = 1 and mcounteren.TM = 1, S reads and writes stimecmp; mip.STIP is then
 * read-only and equals (time >= stimecmp); delegated through mideleg, the timer interrupt is
 * taken in S (scause = interrupt | 5), otherwise in M even while S runs with SIE = 0. A
 * stimecmp in the future clears STIP at once. With STCE = 0 or TM = 0, S may not access
 * stimecmp (illegal instruction), and with STCE = 0 mip.STIP is an ordinary M-writable bit.
 * Known: QEMU 7.2's spike board has no time CSR, without which QEMU disables stimecmp, so
 * this program fails there at case 3 (M's own stimecmp access is illegal on that board).
 * It passes on QEMU 7.2's virt board (checked with the environment's tohost writes replaced
 * by writes to virt's sifive_test finisher, a variant not kept in this tree). */
#include "test.h"
#define INTERRUPT(n) (CAUSE_INTERRUPT | (n))
#define SPIN_LIMIT 1000000
#define COUNTEREN_TM (1 << 1)
#define WAIT_TICKS 30                     /* 300 instructions on tabvm's bare-metal board */
#define FAR_TICKS 1000000000

/* t1 = mip/sip & STIP (csr = mip or sip). */
.macro READ_STIP csr
  csrr t1, \csr
  andi t1, t1, MIP_STIP
.endm

  .text
  .globl test_main
test_main:
  /* STCE = 0: stimecmp is illegal in S. */
  TEST 1
  csrw CSR_MENVCFG, zero
  li t0, COUNTEREN_TM
  csrw mcounteren, t0
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrr t1, CSR_STIMECMP
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrw CSR_STIMECMP, zero
  RETURN_TO_M
  /* STCE = 1 but TM = 0: still illegal in S. */
  TEST 2
  li t0, MENVCFG_STCE
  csrs CSR_MENVCFG, t0
  csrr t1, CSR_MENVCFG
  and t1, t1, t0
  CHECKR t1, t0
  csrw mcounteren, zero
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrr t1, CSR_STIMECMP
  RETURN_TO_M
  li t0, COUNTEREN_TM
  csrw mcounteren, t0

  /* M reads back what it writes; STIP is read-only in mip while STCE = 1. */
  TEST 3
  li t0, -1
  csrw CSR_STIMECMP, t0
  csrr t1, CSR_STIMECMP
  CHECK t1, -1
  TEST 4
  li t0, MIP_STIP
  csrs mip, t0
  READ_STIP mip
  CHECK t1, 0
  csrw CSR_STIMECMP, zero          /* time >= 0: STIP now */
  READ_STIP mip
  CHECK t1, MIP_STIP
  csrc mip, t0                     /* not writable: stays set */
  READ_STIP mip
  CHECK t1, MIP_STIP
  li t0, -1
  csrw CSR_STIMECMP, t0
  READ_STIP mip
  CHECK t1, 0

  /* S programs a deadline; STIP rises in sip once time passes it (interrupt masked). */
  TEST 5
  li t0, MIP_STIP
  csrw mideleg, t0
  ENTER_MODE PRV_S
  csrw sie, zero
  rdtime t0
  addi t0, t0, WAIT_TICKS
  csrw CSR_STIMECMP, t0
  csrr t2, CSR_STIMECMP
  CHECKR t2, t0
  READ_STIP sip
  CHECK t1, 0
  li t3, SPIN_LIMIT
1:
  READ_STIP sip
  bnez t1, 2f
  addi t3, t3, -1
  bnez t3, 1b
2:
  CHECK t1, MIP_STIP
  rdtime t2
  bltu t2, t0, fail
  /* A deadline in the future clears STIP at once. */
  TEST 6
  rdtime t0
  li t2, FAR_TICKS
  add t0, t0, t2
  csrw CSR_STIMECMP, t0
  READ_STIP sip
  CHECK t1, 0

  /* Delegated: the interrupt is taken in S when SIE and sie.STIE allow it. */
  TEST 7
  li s11, 0
  li t0, MIP_STIP
  csrw sie, t0
  rdtime t0
  addi t0, t0, WAIT_TICKS
  csrw CSR_STIMECMP, t0
  csrsi sstatus, MSTATUS_SIE
  li t3, SPIN_LIMIT
3:
  bnez s11, 4f
  addi t3, t3, -1
  bnez t3, 3b
4:
  csrci sstatus, MSTATUS_SIE
  CHECK s11, 1
  CHECK s10, INTERRUPT(IRQ_S_TIMER)
  CHECK s7, PRV_S
  li t0, -1
  csrw CSR_STIMECMP, t0
  RETURN_TO_M

  /* Not delegated: taken in M, although S runs with SIE = 0. */
  TEST 8
  csrw mideleg, zero
  li t0, MIP_STIP
  csrw mie, t0
  ENTER_MODE PRV_S
  li s11, 0
  rdtime t0
  addi t0, t0, WAIT_TICKS
  csrw CSR_STIMECMP, t0
  li t3, SPIN_LIMIT
5:
  bnez s11, 6f
  addi t3, t3, -1
  bnez t3, 5b
6:
  CHECK s11, 1
  CHECK s10, INTERRUPT(IRQ_S_TIMER)
  CHECK s7, PRV_M
  RETURN_TO_M
  li t0, -1
  csrw CSR_STIMECMP, t0
  csrw mie, zero

  /* STCE = 0: STIP is an ordinary bit that M sets and clears. */
  TEST 9
  csrw CSR_STIMECMP, zero
  csrw CSR_MENVCFG, zero
  li t0, MIP_STIP
  csrs mip, t0
  READ_STIP mip
  CHECK t1, MIP_STIP
  csrc mip, t0
  READ_STIP mip
  CHECK t1, 0
  j pass
