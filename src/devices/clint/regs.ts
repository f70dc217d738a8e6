/**
 * SiFive CLINT layout as on QEMU's `virt` board (ACLINT MSWI + MTIMER at one base, see
 * hw/intc/riscv_aclint.c and the RISC-V ACLINT specification).
 */
export const ClintReg = {
  /** Machine software interrupt pending, one 32-bit word per hart (bit 0). */
  MSIP_BASE: 0x0,
  /** Machine timer compare, one 64-bit register per hart (two 32-bit halves, low first). */
  MTIMECMP_BASE: 0x4000,
  /** Machine time, 64-bit (two 32-bit halves). */
  MTIME: 0xbff8,
} as const;

export const CLINT_MMIO_SIZE = 0x10000;
/** msip is one bit wide. */
export const MSIP_BIT = 0x1;
/** mtimecmp after reset: all ones, so no timer interrupt is due. */
export const MTIMECMP_RESET = 0xffff_ffff_ffff_ffffn;
