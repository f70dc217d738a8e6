/**
 * What a DMA-capable device (virtio) sees of guest memory: little-endian loads and stores at
 * physical addresses. Every write marks the touched pages dirty. An access outside RAM
 * returns false / -1 and changes nothing; the device decides what that means for the guest
 * (virtio sets DEVICE_NEEDS_RESET). Multi-byte accesses need not be aligned.
 */
import type { Ram } from './ram.ts';

export interface GuestMemory {
  contains(pa: number, len: number): boolean;
  read(pa: number, dst: Uint8Array): boolean;
  write(pa: number, src: Uint8Array): boolean;
  /** Unsigned little-endian loads; -1 when outside RAM. `readU64` is exact below 2^53. */
  readU16(pa: number): number;
  readU32(pa: number): number;
  readU64(pa: number): number;
  writeU16(pa: number, value: number): boolean;
  writeU32(pa: number, value: number): boolean;
}

export function ramGuestMemory(ram: Ram): GuestMemory {
  const u8 = ram.u8;
  const byte = (pa: number) => u8[pa - ram.base]!;
  return {
    contains: (pa, len) => ram.contains(pa, len),
    read: (pa, dst) => ram.read(pa, dst),
    write: (pa, src) => ram.write(pa, src),
    readU16: (pa) => (ram.contains(pa, 2) ? byte(pa) | (byte(pa + 1) << 8) : -1),
    readU32: (pa) =>
      ram.contains(pa, 4) ? (byte(pa) | (byte(pa + 1) << 8) | (byte(pa + 2) << 16) | (byte(pa + 3) << 24)) >>> 0 : -1,
    readU64(pa) {
      if (!ram.contains(pa, 8)) return -1;
      const lo = (byte(pa) | (byte(pa + 1) << 8) | (byte(pa + 2) << 16) | (byte(pa + 3) << 24)) >>> 0;
      const hi = (byte(pa + 4) | (byte(pa + 5) << 8) | (byte(pa + 6) << 16) | (byte(pa + 7) << 24)) >>> 0;
      return hi * 0x1_0000_0000 + lo;
    },
    writeU16(pa, value) {
      if (!ram.contains(pa, 2)) return false;
      u8[pa - ram.base] = value;
      u8[pa - ram.base + 1] = value >>> 8;
      ram.markDirty(pa, 2);
      return true;
    },
    writeU32(pa, value) {
      if (!ram.contains(pa, 4)) return false;
      const o = pa - ram.base;
      u8[o] = value;
      u8[o + 1] = value >>> 8;
      u8[o + 2] = value >>> 16;
      u8[o + 3] = value >>> 24;
      ram.markDirty(pa, 4);
      return true;
    },
  };
}
