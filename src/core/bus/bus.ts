/**
 * The physical address space: RAM plus memory-mapped devices. The hart's fast paths go to RAM
 * through its TLB; everything else (device registers, ROM, addresses nobody answers) comes
 * through here. Addresses that no device claims are access faults (the caller decides which).
 */
import type { AccessSize, MmioMapping } from './mmio.ts';
import type { Ram } from './ram.ts';

export class Bus {
  private readonly mappings: MmioMapping[];

  constructor(
    readonly ram: Ram,
    mappings: readonly MmioMapping[] = [],
  ) {
    this.mappings = [...mappings].sort((a, b) => a.base - b.base);
    for (let i = 1; i < this.mappings.length; i++) {
      const prev = this.mappings[i - 1]!;
      const cur = this.mappings[i]!;
      if (prev.base + prev.size > cur.base) throw new RangeError(`MMIO ${prev.name} overlaps ${cur.name}`);
    }
  }

  /** The device whose range holds `[pa, pa + len)`, if any. */
  find(pa: number, len: number): MmioMapping | undefined {
    for (const m of this.mappings) {
      if (pa >= m.base && pa + len <= m.base + m.size) return m;
    }
    return undefined;
  }

  /**
   * Reads `size` bytes (1, 2, 4 or 8) at a device address: the low 32 bits are returned and,
   * for 8-byte reads, the high 32 bits are left in `hi`. Returns undefined when nothing answers.
   */
  hi = 0;
  readMmio(pa: number, size: number): number | undefined {
    const m = this.find(pa, size);
    if (!m) return undefined;
    const off = pa - m.base;
    if (size === 8) {
      const lo = m.device.read(off, 4);
      this.hi = m.device.read(off + 4, 4) | 0;
      return lo | 0;
    }
    this.hi = 0;
    return m.device.read(off, size as AccessSize) | 0;
  }

  /** Writes to a device; false when nothing answers. 8-byte writes go low word first. */
  writeMmio(pa: number, size: number, lo: number, hi: number): boolean {
    const m = this.find(pa, size);
    if (!m) return false;
    const off = pa - m.base;
    if (size === 8) {
      m.device.write(off, 4, lo >>> 0);
      m.device.write(off + 4, 4, hi >>> 0);
    } else {
      const mask = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
      m.device.write(off, size as AccessSize, (lo & mask) >>> 0);
    }
    return true;
  }
}
