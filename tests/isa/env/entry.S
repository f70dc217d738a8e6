/*
 * Entry point, trap handlers and tohost reporting of the tabvm ISA test environment.
 * See test.h for the register conventions.
 */
#include "test.h"

  .section .text.init, "ax"
  .globl _start
_start:
  li gp, 0
  /* Zero the integer registers so every program starts from the same state. */
  li x1, 0
  li x2, 0
  li x4, 0
  li x5, 0
  li x6, 0
  li x7, 0
  li x8, 0
  li x9, 0
  li x10, 0
  li x11, 0
  li x12, 0
  li x13, 0
  li x14, 0
  li x15, 0
  li x16, 0
  li x17, 0
  li x18, 0
  li x19, 0
  li x20, 0
  li x21, 0
  li x22, 0
  li x23, 0
  li x24, 0
  li x25, 0
  li x26, 0
  li x27, 0
  li x28, 0
  li x29, 0
  li x30, 0
  li x31, 0
  /* Open all of memory to S and U through PMP entry 0, if PMP exists (a trap skips it). */
  la t0, 1f
  csrw mtvec, t0
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f            /* NAPOT, R, W, X */
  csrw pmpcfg0, t0
  .align 2
1:
  la t0, trap_vector_m
  csrw mtvec, t0
  la t0, trap_vector_s
  csrw stvec, t0
  csrw satp, zero
  csrw medeleg, zero
  csrw mideleg, zero
  csrw mie, zero
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  csrw fcsr, zero
  la sp, stack_top
  li t0, 0
  j test_main

  .section .text, "ax"
  .globl pass
pass:
  li a7, ENV_MAGIC_PASS
  ecall
  j pass

  .globl fail
fail:
  li a7, ENV_MAGIC_FAIL
  ecall
  j fail

/* ---- M-mode trap handler (mtvec direct mode) ---- */
  .align 6
  .globl trap_vector_m
trap_vector_m:
  li s2, MSTATUS_MPRV    /* the handler's own loads and stores are physical */
  csrc mstatus, s2
  csrr s10, mcause
  csrr s9, mtval
  csrr s6, mepc
  csrr s5, mstatus
  li s7, PRV_M
  bltz s10, m_interrupt
  /* An ecall (causes 8, 9, 11) with a magic a7 is a request to the environment. */
  addi s2, s10, -CAUSE_USER_ECALL
  li s3, CAUSE_MACHINE_ECALL - CAUSE_USER_ECALL
  bgtu s2, s3, m_exception
  li s3, CAUSE_SUPERVISOR_ECALL - CAUSE_USER_ECALL + 1
  beq s2, s3, m_exception
  li s3, ENV_MAGIC_PASS
  beq a7, s3, env_pass
  li s3, ENV_MAGIC_FAIL
  beq a7, s3, env_fail
  li s3, ENV_MAGIC_TO_M
  beq a7, s3, m_to_m
  li s3, ENV_MAGIC_PUTC
  beq a7, s3, m_putc
m_exception:
  addi s11, s11, 1
  beqz s8, env_fail
  csrw mepc, s8
  li s8, 0
  mret
m_interrupt:
  addi s11, s11, 1
  csrw mie, zero
  mret
m_to_m:
  li s2, MSTATUS_MPP
  csrs mstatus, s2
  csrw mepc, a6
  mret
m_putc:
  li s2, (HTIF_DEV_CONSOLE << 56) | (HTIF_CMD_PUTCHAR << 48)
  andi s3, a0, 0xff
  or s2, s2, s3
  la s3, tohost
  sd s2, 0(s3)
  la s3, fromhost
1:
  ld s2, 0(s3)
  beqz s2, 1b
  sd zero, 0(s3)
  csrr s2, mepc
  addi s2, s2, 4
  csrw mepc, s2
  mret

env_pass:
  li s2, 1
  j write_tohost
env_fail:
  mv s2, gp
  bnez s2, 1f
  li s2, 0x3ff           /* failure outside any test case */
1:
  slli s2, s2, 1
  ori s2, s2, 1
write_tohost:
  la s3, tohost
  sd s2, 0(s3)
  j write_tohost

/* ---- S-mode trap handler (stvec direct mode), for traps delegated to S ---- */
  .align 6
  .globl trap_vector_s
trap_vector_s:
  csrr s10, scause
  csrr s9, stval
  csrr s6, sepc
  csrr s5, sstatus
  li s7, PRV_S
  bltz s10, s_interrupt
  li s2, CAUSE_USER_ECALL
  bne s10, s2, s_exception
  /* Magic ecalls from U are forwarded to M by an ecall from S. */
  li s3, ENV_MAGIC_PASS
  sub s2, a7, s3
  li s3, ENV_MAGIC_PUTC - ENV_MAGIC_PASS
  bleu s2, s3, s_forward
s_exception:
  addi s11, s11, 1
  beqz s8, s_fail
  csrw sepc, s8
  li s8, 0
  sret
s_fail:
  li a7, ENV_MAGIC_FAIL
  ecall
s_forward:
  ecall
  csrr s2, sepc
  addi s2, s2, 4
  csrw sepc, s2
  sret
s_interrupt:
  addi s11, s11, 1
  csrw sie, zero
  sret

  .section .tohost, "aw", @progbits
  .align 6
  .globl tohost
  .type tohost, @object
  .size tohost, 8
tohost: .dword 0
  .align 6
  .globl fromhost
  .type fromhost, @object
  .size fromhost, 8
fromhost: .dword 0

  .section .bss
  .align 4
stack: .skip 4096
  .globl stack_top
stack_top:
