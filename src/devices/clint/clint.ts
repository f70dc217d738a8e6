/**
 * Core-Local Interruptor of QEMU's `virt` board: msip, mtimecmp and mtime.
 *
 * mtime is the board's GuestClock plus an offset kept in state (a guest write to mtime moves
 * the offset). The MTIP line of hart h is the level `mtime >= mtimecmp[h]`; it is
 * re-evaluated when mtimecmp or mtime is written and when the board calls `update()` between
 * time slices. `ticksUntilTimer()` tells the board how long the next slice may be.
 *
 * mtime is a JS number: exact below 2^53 ticks (28 years at 10 MHz). A compare value at or
 * above 2^53 counts as "never".
 */
import type { AccessSize, MmioDevice } from '../../core/bus/mmio.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import type { GuestClock } from '../../core/bus/clock.ts';
import { ClintReg, MSIP_BIT } from './regs.ts';
import type { ClintState } from './state.ts';

const TWO_32 = 0x1_0000_0000;
const MTIMECMP_STRIDE = 8;

export class Clint implements MmioDevice {
  readonly harts: number;
  /** mtimecmp as numbers (Infinity when ≥ 2^53): derived from state, rebuilt after load. */
  private readonly cmp: Float64Array;

  constructor(
    readonly state: ClintState,
    private readonly clock: GuestClock,
    /** Per hart: the MSIP and MTIP bits of that hart's mip. */
    private readonly msipLines: readonly IrqLine[],
    private readonly mtipLines: readonly IrqLine[],
  ) {
    this.harts = state.msip.length;
    if (msipLines.length !== this.harts || mtipLines.length !== this.harts) {
      throw new RangeError(`CLINT has ${this.harts} harts but ${msipLines.length}/${mtipLines.length} MSIP/MTIP lines`);
    }
    this.cmp = new Float64Array(this.harts);
    this.afterLoad();
  }

  /** Current mtime in ticks (the hart's `time` CSR reads this). */
  mtime(): number {
    return this.clock.now() + this.state.mtimeOffset;
  }

  /** Re-evaluates every MTIP line from mtime >= mtimecmp. */
  update(): void {
    const now = this.mtime();
    for (let h = 0; h < this.harts; h++) this.mtipLines[h]!.set(now >= this.cmp[h]!);
  }

  /** Ticks until the earliest timer is due: 0 if one already is, Infinity if none can be. */
  ticksUntilTimer(): number {
    const now = this.mtime();
    let best = Infinity;
    for (let h = 0; h < this.harts; h++) best = Math.min(best, Math.max(0, this.cmp[h]! - now));
    return best;
  }

  read(offset: number, _size: AccessSize): number {
    const s = this.state;
    if (offset >= ClintReg.MTIME && offset < ClintReg.MTIME + 8) {
      const t = this.mtime();
      return offset === ClintReg.MTIME ? t % TWO_32 : Math.floor(t / TWO_32) % TWO_32;
    }
    if (offset >= ClintReg.MTIMECMP_BASE) {
      const h = Math.floor((offset - ClintReg.MTIMECMP_BASE) / MTIMECMP_STRIDE);
      if (h >= this.harts) return 0;
      const v = s.mtimecmp[h]!;
      return Number(offset % MTIMECMP_STRIDE === 0 ? v & 0xffff_ffffn : v >> 32n);
    }
    const h = offset >>> 2;
    return h < this.harts && offset % 4 === 0 ? s.msip[h]! : 0;
  }

  write(offset: number, _size: AccessSize, value: number): void {
    const s = this.state;
    const v = value >>> 0;
    if (offset >= ClintReg.MTIME && offset < ClintReg.MTIME + 8) {
      const t = this.mtime();
      const lo = t % TWO_32;
      const hi = Math.floor(t / TWO_32) % TWO_32;
      const next = offset === ClintReg.MTIME ? hi * TWO_32 + v : v * TWO_32 + lo;
      s.mtimeOffset = next - this.clock.now();
      this.update();
      return;
    }
    if (offset >= ClintReg.MTIMECMP_BASE) {
      const h = Math.floor((offset - ClintReg.MTIMECMP_BASE) / MTIMECMP_STRIDE);
      if (h >= this.harts) return;
      const old = s.mtimecmp[h]!;
      s.mtimecmp[h] =
        offset % MTIMECMP_STRIDE === 0 ? (old & 0xffff_ffff_0000_0000n) | BigInt(v) : (BigInt(v) << 32n) | (old & 0xffff_ffffn);
      this.cmp[h] = compareAsNumber(s.mtimecmp[h]!);
      this.update();
      return;
    }
    const h = offset >>> 2;
    if (h < this.harts && offset % 4 === 0) {
      s.msip[h] = v & MSIP_BIT;
      this.msipLines[h]!.set(s.msip[h] !== 0);
    }
  }

  /** Rebuilds the numeric compare cache and re-derives every line after a state load. */
  afterLoad(): void {
    for (let h = 0; h < this.harts; h++) {
      this.cmp[h] = compareAsNumber(this.state.mtimecmp[h]!);
      this.msipLines[h]!.set(this.state.msip[h] !== 0);
    }
    this.update();
  }
}

function compareAsNumber(v: bigint): number {
  return v >= 1n << 53n ? Infinity : Number(v);
}
