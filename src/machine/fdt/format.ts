/**
 * Flattened Devicetree (DTB) format constants, from the Devicetree Specification v0.4,
 * chapter 5 "Flattened Devicetree (DTB) Format". All header and structure words are big-endian.
 */
export const FDT_MAGIC = 0xd00dfeed;
/** The version we write, and the oldest version it is backwards compatible with. */
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;

/** struct fdt_header: ten 32-bit fields. */
export const FDT_HEADER_SIZE = 40;
export const FdtHeader = {
  MAGIC: 0,
  TOTALSIZE: 4,
  OFF_DT_STRUCT: 8,
  OFF_DT_STRINGS: 12,
  OFF_MEM_RSVMAP: 16,
  VERSION: 20,
  LAST_COMP_VERSION: 24,
  BOOT_CPUID_PHYS: 28,
  SIZE_DT_STRINGS: 32,
  SIZE_DT_STRUCT: 36,
} as const;

/** Structure block tokens (§5.4.1). */
export const FdtToken = {
  BEGIN_NODE: 0x1,
  END_NODE: 0x2,
  PROP: 0x3,
  NOP: 0x4,
  END: 0x9,
} as const;

/** Memory reservation entries are two 64-bit words, 8-byte aligned (§5.3). */
export const FDT_RSV_ENTRY_SIZE = 16;
export const FDT_RSVMAP_ALIGN = 8;
/** Structure block items are 4-byte aligned. */
export const FDT_TAG_ALIGN = 4;

export function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
