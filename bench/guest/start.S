/*
 * M-mode start-up of the tabvm CPU benchmark guest.
 *
 * Builds Sv39 page tables that identity-map the first USER_MAP_BYTES of RAM as 4 KiB user
 * RWX pages (so the benchmark exercises the page walker and the TLB) plus a kernel
 * (supervisor-only) gigapage alias of RAM at KERNEL_ALIAS, turns on paging, and mret's into
 * `bench_main` in U-mode. The M-mode trap handler implements two system calls through ecall:
 *   a7 = 93 (exit):  a0 = code  -> tohost = (code << 1) | 1 (code 0 = pass)
 *   a7 = 64 (write): a0 = fd, a1 = buf, a2 = len -> each byte through HTIF putchar; a0 = len
 * Any other trap exits with code TRAP_EXIT_CODE.
 */
#define MSTATUS_MPP        (3 << 11)
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_MPRV       (1 << 17)
#define MSTATUS_SUM        (1 << 18)
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define PTE_PPN_SHIFT 10
#define PAGE_SHIFT 12
#define PTES_PER_TABLE 512
#define SATP_MODE_SV39 (8 << 60)
#define CAUSE_USER_ECALL 8
#define SYS_WRITE 64
#define SYS_EXIT 93
#define TRAP_EXIT_CODE 0x7ff
#define HTIF_PUTCHAR ((1 << 56) | (1 << 48))
#define RAM_BASE 0x80000000
#define USER_MAP_BYTES (32 << 20)               /* 16 level-0 tables of 2 MiB each */
#define USER_L0_TABLES (USER_MAP_BYTES >> 21)
#define KERNEL_ALIAS_VPN2 0x100                 /* VA 0xffffffc000000000 (sign-extended) */

  .section .text.init, "ax"
  .globl _start
_start:
  la sp, m_stack_top
  la t0, trap_handler
  csrw mtvec, t0
  /* PMP entry 0: all of memory readable, writable, executable from U (skipped if absent). */
  la t0, 1f
  csrw mtvec, t0
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  .align 2
1:
  la t0, trap_handler
  csrw mtvec, t0
  csrw medeleg, zero
  csrw mideleg, zero
  csrw mie, zero
  li t0, 7
  csrw mcounteren, t0          /* U may read cycle, time, instret */
  csrw scounteren, t0

  /* Level-0 tables: PTE i of table t maps RAM_BASE + (t * 512 + i) pages. */
  la t0, l0_tables
  li t1, RAM_BASE >> PAGE_SHIFT              /* PPN of the next page */
  li t2, USER_L0_TABLES * PTES_PER_TABLE
  li t3, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
2:
  slli t4, t1, PTE_PPN_SHIFT
  or t4, t4, t3
  sd t4, 0(t0)
  addi t0, t0, 8
  addi t1, t1, 1
  addi t2, t2, -1
  bnez t2, 2b

  /* Level-1 table for the gigabyte at RAM_BASE: entries 0..USER_L0_TABLES-1 point at them. */
  la t0, l1_table
  la t1, l0_tables
  li t2, USER_L0_TABLES
3:
  srli t4, t1, PAGE_SHIFT
  slli t4, t4, PTE_PPN_SHIFT
  ori t4, t4, PTE_V
  sd t4, 0(t0)
  addi t0, t0, 8
  li t5, 1 << PAGE_SHIFT
  add t1, t1, t5
  addi t2, t2, -1
  bnez t2, 3b

  /* Root: VPN2 = 2 (0x80000000) -> l1_table; VPN2 = KERNEL_ALIAS_VPN2 -> RAM gigapage, S only. */
  la t0, root_table
  la t1, l1_table
  srli t1, t1, PAGE_SHIFT
  slli t1, t1, PTE_PPN_SHIFT
  ori t1, t1, PTE_V
  sd t1, ((RAM_BASE >> 30) * 8)(t0)
  li t1, ((RAM_BASE >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  li t2, KERNEL_ALIAS_VPN2 * 8
  add t2, t2, t0
  sd t1, 0(t2)

  srli t0, t0, PAGE_SHIFT
  li t1, SATP_MODE_SV39
  or t0, t0, t1
  csrw satp, t0
  sfence.vma

  /* Into U-mode at bench_main with FP enabled and a user stack. */
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  csrw fcsr, zero
  la t0, bench_main
  csrw mepc, t0
  la sp, u_stack_top
  li ra, 0
  mret

  .align 2
trap_handler:
  csrr t0, mcause
  li t1, CAUSE_USER_ECALL
  bne t0, t1, bad_trap
  li t1, SYS_WRITE
  beq a7, t1, sys_write
  li t1, SYS_EXIT
  beq a7, t1, sys_exit
bad_trap:
  li a0, TRAP_EXIT_CODE
sys_exit:
  slli a0, a0, 1
  ori a0, a0, 1
  la t0, tohost
1:
  sd a0, 0(t0)
  j 1b

sys_write:
  /* User buffers are identity-mapped, so M-mode reads them at the same address. */
  mv t2, a1
  add t3, a1, a2
  la t0, tohost
  la t1, fromhost
  li t5, HTIF_PUTCHAR
2:
  bgeu t2, t3, 4f
  lbu t4, 0(t2)
  or t4, t4, t5
  sd t4, 0(t0)
3:
  ld t4, 0(t1)
  beqz t4, 3b
  sd zero, 0(t1)
  addi t2, t2, 1
  j 2b
4:
  mv a0, a2
  csrr t0, mepc
  addi t0, t0, 4
  csrw mepc, t0
  mret

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

  .section .bss.pagetables, "aw", @nobits
  .align PAGE_SHIFT
root_table: .skip 1 << PAGE_SHIFT
l1_table: .skip 1 << PAGE_SHIFT
l0_tables: .skip USER_L0_TABLES << PAGE_SHIFT
m_stack: .skip 4096
m_stack_top:
  .align 4
u_stack: .skip 65536
u_stack_top:
