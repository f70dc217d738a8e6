/*
 * The tabvm ISA test environment: register conventions and assertion macros.
 *
 * A program defines `test_main` (entered in M-mode with paging off, traps routed to the
 * environment's handlers, FPU on) and ends with `j pass`; any failed check jumps to
 * `fail`, which reports (gp << 1) | 1 to tohost. Registers owned by the environment:
 *   gp  number of the current test case (TEST n)
 *   tp, s4  scratch of the CHECK macros
 *   s2, s3  scratch of the trap handlers (clobbered by any trap)
 *   s5  status at the last trap (mstatus or sstatus)
 *   s6  epc of the last trap
 *   s7  privilege that handled the last trap (PRV_M or PRV_S)
 *   s8  resume address for an expected exception (0: an exception fails the test)
 *   s9  tval of the last trap          s10 cause of the last trap
 *   s11 number of traps taken (ecalls to the environment excluded)
 * a6/a7 are clobbered by RETURN_TO_M, pass, fail and PUTC.
 * An interrupt is recorded like an exception and then masked: the M handler clears mie,
 * the S handler clears sie, and both return to the interrupted instruction.
 */
#ifndef TABVM_ISA_TEST_H
#define TABVM_ISA_TEST_H

#include "encoding.h"

#ifdef __ASSEMBLER__

/* Start test case n. */
.macro TEST n
  li gp, \n
.endm

/* Fail unless integer register `reg` equals the 64-bit constant `value`. */
.macro CHECK reg, value
  li s4, \value
  beq \reg, s4, .Lok\@
  j fail
.Lok\@:
.endm

/* Fail unless two integer registers are equal. */
.macro CHECKR a, b
  beq \a, \b, .Lok\@
  j fail
.Lok\@:
.endm

/* Fail unless the bits of double register `freg` equal `value`. */
.macro CHECK_D freg, value
  fmv.x.d tp, \freg
  CHECK tp, \value
.endm

/* Fail unless the bits of single register `freg` (NaN-boxed) equal `value` (32 bits). */
.macro CHECK_S freg, value
  fmv.x.d tp, \freg
  CHECK tp, (0xffffffff00000000 | \value)
.endm

/* Fail unless fflags equals `value`; clears fflags. */
.macro CHECK_FLAGS value
  csrrw tp, fflags, zero
  CHECK tp, \value
.endm

/* Run `insn`, which must raise exactly one exception with cause `cause`; continue after it.
 * Afterwards s9 = tval, s6 = epc, s7 = handling privilege, s5 = status at the trap. */
.macro EXPECT_TRAP cause, insn:vararg
  li s11, 0
  la s8, .Lresume\@
  \insn
.Lresume\@:
  li s8, 0
  CHECK s11, 1
  CHECK s10, \cause
.endm

/* Run `insn`, which may trap; continue after it either way (s11 counts traps). */
.macro TRY insn:vararg
  li s11, 0
  la s8, .Lresume\@
  \insn
.Lresume\@:
  li s8, 0
.endm

/* Switch from M-mode to privilege `prv` (PRV_S or PRV_U) and continue at the next line. */
.macro ENTER_MODE prv
  li s4, MSTATUS_MPP
  csrc mstatus, s4
  li s4, (\prv << 11)
  csrs mstatus, s4
  la s4, .Lenter\@
  csrw mepc, s4
  mret
.Lenter\@:
.endm

/* From any privilege, continue at the next line in M-mode (through the environment's ecall). */
.macro RETURN_TO_M
  la a6, .Lback\@
  li a7, ENV_MAGIC_TO_M
  ecall
.Lback\@:
.endm

/* Print the character in a0 through HTIF (from any privilege). */
.macro PUTC
  li a7, ENV_MAGIC_PUTC
  ecall
.endm


/* Register-register operation: rd = op(a, b) must equal result. */
.macro TEST_RR n, op, result, a, b
  TEST \n
  li t0, \a
  li t1, \b
  \op t2, t0, t1
  CHECK t2, \result
.endm

/* Register-immediate operation: rd = op(a, imm) must equal result. */
.macro TEST_RI n, op, result, a, imm
  TEST \n
  li t0, \a
  \op t2, t0, \imm
  CHECK t2, \result
.endm

/* Same register as source and destination. */
.macro TEST_RR_SRC1_EQ_DEST n, op, result, a, b
  TEST \n
  li t0, \a
  li t1, \b
  \op t0, t0, t1
  CHECK t0, \result
.endm


/* Emit `insn` and fail the build unless it assembles to a 16-bit (compressed) encoding. */
.macro C insn:vararg
.Lcstart\@:
  \insn
.Lcend\@:
  .if (.Lcend\@ - .Lcstart\@) != 2
  .error "not a compressed instruction"
  .endif
.endm


/* Floating-point two-operand test: `op` (a `.d` or `.s` instruction, fmt = d or s) with
 * rounding mode `rm` (blank for instructions without one) on bit patterns a and b must give `result` and set exactly `flags`. */
.macro TEST_FP_RR n, op, fmt, rm, result, flags, a, b
  TEST \n
  csrw fflags, zero
  li t0, \a
  li t1, \b
  .ifc \fmt, d
  fmv.d.x ft0, t0
  fmv.d.x ft1, t1
  .ifb \rm
  \op fa0, ft0, ft1
  .else
  \op fa0, ft0, ft1, \rm
  .endif
  CHECK_D fa0, \result
  .else
  fmv.w.x ft0, t0
  fmv.w.x ft1, t1
  .ifb \rm
  \op fa0, ft0, ft1
  .else
  \op fa0, ft0, ft1, \rm
  .endif
  CHECK_S fa0, \result
  .endif
  CHECK_FLAGS \flags
.endm

/* One-operand variant (fsqrt). */
.macro TEST_FP_R n, op, fmt, rm, result, flags, a
  TEST \n
  csrw fflags, zero
  li t0, \a
  .ifc \fmt, d
  fmv.d.x ft0, t0
  \op fa0, ft0, \rm
  CHECK_D fa0, \result
  .else
  fmv.w.x ft0, t0
  \op fa0, ft0, \rm
  CHECK_S fa0, \result
  .endif
  CHECK_FLAGS \flags
.endm

#endif /* __ASSEMBLER__ */
#endif
