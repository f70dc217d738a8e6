/**
 * Guest RAM: one ArrayBuffer with typed views over it, and a per-page dirty map that every
 * guest store and every device DMA write marks (migration's pre-copy reads and clears it).
 *
 * Physical addresses are JS numbers (exact below 2^53). The host is little-endian, as RISC-V
 * is, so the typed views read guest words directly.
 */
import { orInto } from '../../lib/page-map.ts';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

export class Ram {
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /** One byte per 4 KiB page: non-zero once the page was written since the last clear. */
  readonly dirty: Uint8Array;
  /**
   * One byte per page: non-zero when the page was written before the dirty map was last
   * cleared. Whoever clears `dirty` ORs it in here first (`foldDirty`), so a page whose bytes
   * in both maps are zero has never been written since the RAM was allocated: it is all zero,
   * and migration sends it without reading it.
   */
  readonly written: Uint8Array;
  /**
   * One byte per page: non-zero while the hart holds code compiled from the page
   * (core/cpu/jit). Writers other than the hart's fast path check it and call `onCodeWrite`.
   */
  readonly code: Uint8Array;
  onCodeWrite: (page: number) => void = () => {};

  constructor(
    readonly base: number,
    readonly size: number,
  ) {
    if (size <= 0 || size % PAGE_SIZE !== 0) throw new RangeError(`RAM size ${size} is not a positive multiple of ${PAGE_SIZE}`);
    this.buffer = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.dirty = new Uint8Array(size >>> PAGE_SHIFT);
    this.written = new Uint8Array(size >>> PAGE_SHIFT);
    this.code = new Uint8Array(size >>> PAGE_SHIFT);
  }

  get pages(): number {
    return this.dirty.length;
  }

  /** True when `[pa, pa + len)` lies inside RAM. */
  contains(pa: number, len: number): boolean {
    const off = pa - this.base;
    return off >= 0 && len >= 0 && off + len <= this.size;
  }

  /** Marks every page that `[pa, pa + len)` touches as dirty. `pa` must be inside RAM. */
  markDirty(pa: number, len: number): void {
    if (len <= 0) return;
    const first = (pa - this.base) >>> PAGE_SHIFT;
    const last = (pa - this.base + len - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) {
      this.dirty[p] = 1;
      if (this.code[p] !== 0) this.onCodeWrite(p);
    }
  }

  /** Clears the dirty map, folding it into `written` first (the only correct way to clear it). */
  clearDirty(): void {
    orInto(this.written, this.dirty);
    this.dirty.fill(0);
  }

  /** Copies guest bytes out; false (and nothing copied) when the range is not all RAM. */
  read(pa: number, dst: Uint8Array): boolean {
    if (!this.contains(pa, dst.length)) return false;
    const off = pa - this.base;
    dst.set(this.u8.subarray(off, off + dst.length));
    return true;
  }

  /** Copies bytes into guest RAM and marks the pages dirty; false when not all RAM. */
  write(pa: number, src: Uint8Array): boolean {
    if (!this.contains(pa, src.length)) return false;
    this.u8.set(src, pa - this.base);
    this.markDirty(pa, src.length);
    return true;
  }
}
