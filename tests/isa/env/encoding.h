/*
 * Names from the RISC-V privileged spec (1.12) used by the tabvm ISA programs.
 * Only constants: included by assembly through the C preprocessor.
 */
#ifndef TABVM_ISA_ENCODING_H
#define TABVM_ISA_ENCODING_H

/* mstatus / sstatus fields (priv spec 3.1.6) */
#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_UBE   (1 << 6)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPP_M (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_DIRTY   (3 << 13)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_SD    (1 << 63)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* mip / mie bits (priv spec 3.1.9) */
#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11
#define MIP_SSIP (1 << IRQ_S_SOFT)
#define MIP_MSIP (1 << IRQ_M_SOFT)
#define MIP_STIP (1 << IRQ_S_TIMER)
#define MIP_MTIP (1 << IRQ_M_TIMER)
#define MIP_SEIP (1 << IRQ_S_EXT)
#define MIP_MEIP (1 << IRQ_M_EXT)

/* mcause values (priv spec table 3.6) */
#define CAUSE_INTERRUPT              (1 << 63)
#define CAUSE_MISALIGNED_FETCH       0
#define CAUSE_FETCH_ACCESS           1
#define CAUSE_ILLEGAL_INSTRUCTION    2
#define CAUSE_BREAKPOINT             3
#define CAUSE_MISALIGNED_LOAD        4
#define CAUSE_LOAD_ACCESS            5
#define CAUSE_MISALIGNED_STORE       6
#define CAUSE_STORE_ACCESS           7
#define CAUSE_USER_ECALL             8
#define CAUSE_SUPERVISOR_ECALL       9
#define CAUSE_MACHINE_ECALL          11
#define CAUSE_FETCH_PAGE_FAULT       12
#define CAUSE_LOAD_PAGE_FAULT        13
#define CAUSE_STORE_PAGE_FAULT       15

/* satp (priv spec 4.1.11) */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE  0
#define SATP_MODE_SV39  8
#define SATP_MODE_SV48  9
#define SATP_MODE_SV57  10

/* Page table entries (priv spec 4.3.1) */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define PTE_PPN_SHIFT 10
#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

/* menvcfg (priv spec 3.1.18) */
#define MENVCFG_STCE (1 << 63)

/* fcsr (unprivileged spec 11.2) */
#define FFLAGS_NX (1 << 0)
#define FFLAGS_UF (1 << 1)
#define FFLAGS_OF (1 << 2)
#define FFLAGS_DZ (1 << 3)
#define FFLAGS_NV (1 << 4)
#define FRM_RNE 0
#define FRM_RTZ 1
#define FRM_RDN 2
#define FRM_RUP 3
#define FRM_RMM 4

/* CSR numbers that the assembler may not know by name */
#define CSR_STIMECMP 0x14d
#define CSR_MENVCFG  0x30a

/* CLINT on the virt and spike boards */
#define CLINT_BASE     0x2000000
#define CLINT_MSIP     (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)

/* HTIF (tohost) commands */
#define HTIF_DEV_CONSOLE 1
#define HTIF_CMD_PUTCHAR 1

/* Values in a7 that the environment's ecall handler understands. */
#define ENV_MAGIC_PASS   0x7ab0c001
#define ENV_MAGIC_FAIL   0x7ab0c002
#define ENV_MAGIC_TO_M   0x7ab0c003
#define ENV_MAGIC_PUTC   0x7ab0c004

#endif
