/* Exceptions and trap returns: ecall from M/S/U with their causes and MPP, ebreak, illegal
 * instructions with tval = the instruction bits, delegation of exceptions to S through
 * medeleg (never for traps taken in M), mret/sret restoring MIE/SIE from MPIE/SPIE and
 * setting MPP/SPP to U, mret below M clearing MPRV, and TSR/TW/TVM trapping S-mode. */
#include "test.h"
#define MSTATUS_MPP_SHIFT 11

  .text
  .globl test_main
test_main:
  li a7, 0
  TEST 1
  li s11, 0
  la s8, 5f
1:
  ecall
5:
  li s8, 0
  CHECK s11, 1
  CHECK s10, CAUSE_MACHINE_ECALL
  la t0, 1b
  CHECKR s6, t0
  CHECK s9, 0
  srli t1, s5, MSTATUS_MPP_SHIFT
  andi t1, t1, 3
  CHECK t1, PRV_M
  TEST 2
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_SUPERVISOR_ECALL, ecall
  srli t1, s5, MSTATUS_MPP_SHIFT
  andi t1, t1, 3
  CHECK t1, PRV_S
  RETURN_TO_M
  TEST 3
  li a7, 0                      /* not an environment request */
  ENTER_MODE PRV_U
  EXPECT_TRAP CAUSE_USER_ECALL, ecall
  srli t1, s5, MSTATUS_MPP_SHIFT
  andi t1, t1, 3
  CHECK t1, PRV_U
  RETURN_TO_M
  TEST 4
  EXPECT_TRAP CAUSE_BREAKPOINT, ebreak
  TEST 5
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, .4byte 0x0000300b   /* custom-0: not implemented */
  CHECK s9, 0x0000300b
  TEST 6
  ENTER_MODE PRV_U
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, mret
  CHECK s9, 0x30200073
  RETURN_TO_M
  TEST 7
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, mret
  CHECK s9, 0x30200073
  RETURN_TO_M

  /* Delegation: ecall from U and illegal instruction go to S. */
  TEST 8
  li t0, (1 << CAUSE_USER_ECALL) | (1 << CAUSE_ILLEGAL_INSTRUCTION)
  csrw medeleg, t0
  li a7, 0                      /* not an environment request */
  ENTER_MODE PRV_U
  EXPECT_TRAP CAUSE_USER_ECALL, ecall
  CHECK s7, PRV_S
  andi t1, s5, MSTATUS_SPP
  CHECK t1, 0
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, .4byte 0x0000300b
  CHECK s7, PRV_S
  CHECK s9, 0x0000300b
  RETURN_TO_M
  TEST 9
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, .4byte 0x0000300b
  CHECK s7, PRV_S
  andi t1, s5, MSTATUS_SPP
  CHECK t1, MSTATUS_SPP
  RETURN_TO_M
  /* Traps taken in M are never delegated. */
  TEST 10
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, .4byte 0x0000300b
  CHECK s7, PRV_M
  csrw medeleg, zero

  /* mret to M: MIE <- MPIE, MPIE <- 1, MPP <- U. */
  TEST 11
  li t0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE
  csrc mstatus, t0
  li t0, MSTATUS_MPP
  csrs mstatus, t0
  la t0, 2f
  csrw mepc, t0
  mret
2:
  csrr t0, mstatus
  li t1, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE
  and t0, t0, t1
  CHECK t0, MSTATUS_MPIE
  /* MPIE = 1 returns with MIE = 1. */
  TEST 12
  li t0, MSTATUS_MPIE | MSTATUS_MPP
  csrs mstatus, t0
  la t0, 3f
  csrw mepc, t0
  mret
3:
  csrr t0, mstatus
  andi t0, t0, MSTATUS_MIE
  CHECK t0, MSTATUS_MIE
  csrci mstatus, MSTATUS_MIE
  /* mret to U clears MPRV. */
  TEST 13
  li t0, MSTATUS_MPRV
  csrs mstatus, t0
  ENTER_MODE PRV_U
  RETURN_TO_M
  li t0, MSTATUS_MPRV
  and t0, s5, t0
  CHECK t0, 0
  /* sret: SIE <- SPIE, SPIE <- 1, SPP <- U. */
  TEST 14
  ENTER_MODE PRV_S
  li t0, MSTATUS_SPP | MSTATUS_SIE
  csrc sstatus, t0
  li t0, MSTATUS_SPIE
  csrs sstatus, t0
  la t0, 4f
  csrw sepc, t0
  sret
4:
  RETURN_TO_M                   /* from U */
  srli t1, s5, MSTATUS_MPP_SHIFT
  andi t1, t1, 3
  CHECK t1, PRV_U
  li t1, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
  and t1, s5, t1
  CHECK t1, MSTATUS_SPIE | MSTATUS_SIE
  csrci mstatus, MSTATUS_SIE

  /* TSR: sret in S is illegal. */
  TEST 15
  li t0, MSTATUS_TSR
  csrs mstatus, t0
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, sret
  CHECK s9, 0x10200073
  RETURN_TO_M
  li t0, MSTATUS_TSR
  csrc mstatus, t0
  /* TVM: satp access and sfence.vma in S are illegal. */
  TEST 16
  li t0, MSTATUS_TVM
  csrs mstatus, t0
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, csrr t1, satp
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, sfence.vma
  RETURN_TO_M
  li t0, MSTATUS_TVM
  csrc mstatus, t0
  ENTER_MODE PRV_S
  csrr t1, satp
  sfence.vma
  RETURN_TO_M
  /* TW: wfi in S is illegal. */
  TEST 17
  li t0, MSTATUS_TW
  csrs mstatus, t0
  ENTER_MODE PRV_S
  EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, wfi
  CHECK s9, 0x10500073
  RETURN_TO_M
  li t0, MSTATUS_TW
  csrc mstatus, t0
  j pass
