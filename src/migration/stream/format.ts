/**
 * QEMU's migration stream framing (migration/savevm.c, migration/ram.c; QEMU 7.2), which
 * scripts/analyze-migration.py reads. All integers big-endian.
 */
export const QEMU_VM_FILE_MAGIC = 0x5145564d; // "QEVM"
export const QEMU_VM_FILE_VERSION = 3;

export const enum Section {
  EOF = 0x00,
  START = 0x01,
  PART = 0x02,
  END = 0x03,
  FULL = 0x04,
  SUBSECTION = 0x05,
  VMDESCRIPTION = 0x06,
  CONFIGURATION = 0x07,
  COMMAND = 0x08,
  FOOTER = 0x7e,
}

/** RAM section "ram", version 4: records are `be64 (offset | flags)`. */
export const RAM_SECTION_NAME = 'ram';
export const RAM_SECTION_VERSION = 4;
/** Flags live in the low bits of the page-aligned offset. */
export const enum RamFlag {
  /** Historically "COMPRESS": the page is filled with the one byte that follows. */
  ZERO = 0x02,
  MEM_SIZE = 0x04,
  PAGE = 0x08,
  EOS = 0x10,
  CONTINUE = 0x20,
}
export const RAM_FLAGS_MASK = 0xfff;

export const TARGET_PAGE_SIZE = 4096;
/** Our one RAM block (QEMU's virt calls it "riscv_virt_board.ram"). */
export const RAM_BLOCK_NAME = 'tabvm.ram';

/**
 * The integrity section: a device-shaped FULL section written last before EOF, holding a
 * checksum (version 1 CRC-32, version 2 a word hash: integrity.ts) and the length of every
 * stream byte before it. QEMU has none; analyze-migration.py prints it like any device. A
 * flipped or dropped byte anywhere before it fails the load.
 */
export const INTEGRITY_SECTION_NAME = 'tabvm/integrity';

/** Section ids: RAM first, then devices in order, then the integrity section. */
export const RAM_SECTION_ID = 0;

/** Upper bounds that keep a hostile stream from making the loader allocate or loop. */
export const MAX_CONFIGURATION_BYTES = 1 << 20;
export const MAX_VMDESC_BYTES = 16 << 20;
/** Device sections are buffered until the stream ends; their total may not pass this. */
export const MAX_DEVICE_STATE_BYTES = 64 << 20;
export const MAX_RAM_SIZE = 2 ** 40;
