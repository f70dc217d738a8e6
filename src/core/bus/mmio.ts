/**
 * The contract between the bus and a memory-mapped device.
 *
 * Offsets are relative to the device's base address. Accesses are 1, 2 or 4 bytes wide and
 * naturally aligned by the bus; an 8-byte guest access is split by the bus into two 4-byte
 * accesses (low word first, at `offset` then `offset + 4`). Values are unsigned 32-bit numbers
 * (`>>> 0`) on read; on write the bus passes the low `size` bytes of the value.
 */
export type AccessSize = 1 | 2 | 4;

export interface MmioDevice {
  read(offset: number, size: AccessSize): number;
  write(offset: number, size: AccessSize, value: number): void;
}

/** A device mapped at `[base, base + size)` in the physical address space. */
export interface MmioMapping {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
}
