/**
 * Three small direct-mapped TLBs (read, write, execute), as in TinyEMU. An entry maps a
 * virtual page (tag = page-aligned low word + high word of the address) to the byte offset of
 * that page inside guest RAM. Only RAM pages are cached; device pages always take the slow
 * path. Entries are filled with the permission check of the access that filled them, so every
 * change of privilege, satp, or mstatus.MPRV/MPP/SUM/MXR flushes all of them.
 */
export const TLB_SIZE = 4096;
export const TLB_MASK = TLB_SIZE - 1;
/** A tag no page-aligned address can equal. */
const INVALID = 1;

export class Tlb {
  readonly tagLo = new Int32Array(TLB_SIZE).fill(INVALID);
  readonly tagHi = new Int32Array(TLB_SIZE);
  readonly off = new Int32Array(TLB_SIZE);
  /**
   * Indices filled since the last flush. Flushes happen on every privilege change (each trap
   * and xRET), so they clear only what was filled instead of all 16 KiB of tags.
   */
  private readonly filled = new Int32Array(TLB_SIZE);
  private count = 0;

  flush(): void {
    if (this.count > TLB_SIZE / 4) {
      this.tagLo.fill(INVALID);
    } else {
      for (let k = 0; k < this.count; k++) this.tagLo[this.filled[k]!] = INVALID;
    }
    this.count = 0;
  }

  insert(vaLo: number, vaHi: number, ramOffset: number): void {
    const i = (vaLo >>> 12) & TLB_MASK;
    if (this.tagLo[i] === INVALID && this.count < TLB_SIZE) this.filled[this.count++] = i;
    this.tagLo[i] = vaLo & ~0xfff;
    this.tagHi[i] = vaHi;
    this.off[i] = ramOffset;
  }
}

export const enum Access {
  READ = 0,
  WRITE = 1,
  EXECUTE = 2,
}
