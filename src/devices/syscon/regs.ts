/**
 * SiFive test finisher (`sifive,test0`, QEMU hw/misc/sifive_test.c): a 32-bit write at
 * offset 0 whose low 16 bits say what to do and whose high 16 bits carry an exit code.
 */
export const SysconReg = {
  FINISHER: 0x0,
} as const;

export const Finisher = {
  /** Failure: power off with the exit code in bits 31:16. */
  FAIL: 0x3333,
  /** Success: power off with exit code 0. */
  PASS: 0x5555,
  /** Reset the machine. */
  RESET: 0x7777,
} as const;

export const FINISHER_STATUS_MASK = 0xffff;
export const FINISHER_CODE_SHIFT = 16;
export const SYSCON_MMIO_SIZE = 0x1000;
