/**
 * One RV64GC hart: its architectural state (a plain HartState) plus what is derived from it
 * (TLBs, typed-array views, the LR/SC reservation, interrupt lines from devices).
 * The hart is pure and deterministic: `run(budget)` executes at most `budget` instructions and
 * returns; guest time comes from the board's GuestClock.
 */
import type { Bus } from '../bus/bus.ts';
import type { GuestClock } from '../bus/clock.ts';
import { ALL_INTERRUPTS, MIP, MSTATUS } from '../isa/csr.ts';
import { PRIV } from '../isa/causes.ts';
import { createHartState, resetHartState, Slot, type HartState } from './hart-state.ts';
import { Tlb } from './tlb.ts';
import { run } from './interpreter.ts';
import { BlockCache } from './jit/block-cache.ts';
import { compressedTable } from '../isa/rvc.ts';

/** Extensions this hart implements, for misa and the device tree. */
export const HART_ISA = 'rv64imafdc';
export const HART_ISA_EXTENSIONS = ['zicsr', 'zifencei', 'zicntr', 'sstc'] as const;

export interface HartOptions {
  /** Compile hot blocks to JavaScript (default true); false interprets every instruction. */
  jit?: boolean;
  /** Requests before a block start is compiled (default jit/block-cache.ts HOT; 1 compiles all). */
  jitThreshold?: number;
}

export class Hart {
  readonly state: HartState;
  readonly bus: Bus;
  readonly clock: GuestClock;

  // Views over state and RAM, rebuilt by `rebind()`.
  x!: Int32Array;
  f!: Int32Array;
  fd!: Float64Array;
  fs!: Float32Array;
  csr!: Int32Array;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly dirty: Uint8Array;
  readonly ramBase: number;
  readonly ramSize: number;

  readonly rtlb = new Tlb();
  readonly wtlb = new Tlb();
  readonly xtlb = new Tlb();

  /** Pending synchronous exception of the current instruction (-1 = none), with its tval. */
  exc = -1;
  excTvalLo = 0;
  excTvalHi = 0;
  /** High word of the last slow-path 64-bit load. */
  lhi = 0;
  /** Interrupt-pending bits driven by devices (MSIP, MTIP, MEIP, SEIP) and by Sstc (STIP). */
  mipHw = 0;
  /** LR/SC reservation (physical address), derived state: never migrated. */
  resValid = false;
  resAddr = 0;
  /** Set when something may have made an interrupt takeable; the run loop re-checks. */
  irqCheck = true;
  /** The hart executed an instruction that stops the current slice (e.g. WFI). */
  stop = false;
  /** Compiled blocks (jit/), or null to interpret every instruction. */
  readonly jit: BlockCache | null = null;

  constructor(bus: Bus, clock: GuestClock, state: HartState = createHartState(), options: HartOptions = {}) {
    this.bus = bus;
    this.clock = clock;
    this.state = state;
    const ram = bus.ram;
    this.u8 = ram.u8;
    this.u16 = ram.u16;
    this.i32 = ram.i32;
    this.dirty = ram.dirty;
    this.ramBase = ram.base;
    this.ramSize = ram.size;
    this.rebind();
    if (options.jit !== false) this.jit = new BlockCache(this, compressedTable(), options.jitThreshold);
  }

  /** Rebuilds the views over the state's typed arrays (after they were replaced). */
  rebind(): void {
    const s = this.state;
    this.x = s.x;
    this.f = s.f;
    this.fd = new Float64Array(s.f.buffer, s.f.byteOffset, 32);
    this.fs = new Float32Array(s.f.buffer, s.f.byteOffset, 64);
    this.csr = s.csr;
    this.flushTlb();
    this.jit?.flush();
    this.resValid = false;
    this.irqCheck = true;
  }

  reset(resetPc: number): void {
    resetHartState(this.state, resetPc);
    this.mipHw &= ~MIP.STIP;
    this.rebind();
  }

  flushTlb(): void {
    this.rtlb.flush();
    this.wtlb.flush();
    this.xtlb.flush();
  }

  /**
   * Runs up to `budget` instructions; returns how many retired (traps and WFI included).
   * Call `warmUpInterpreter()` (warmup.ts) once per process before long runs.
   */
  run(budget: number): number {
    return run(this, budget);
  }

  /** Drives an interrupt line from a device (bit = MIP.MEIP, MIP.MTIP, ...). */
  setInterruptLine(bit: number, level: boolean): void {
    const before = this.mipHw;
    this.mipHw = level ? before | bit : before & ~bit;
    if (this.mipHw !== before) this.irqCheck = true;
  }

  /** mip as software reads it. */
  mip(): number {
    return (this.state.mipSw | this.mipHw) & ALL_INTERRUPTS;
  }

  /** Re-evaluates time-dependent interrupts (Sstc's STIP) against the clock. */
  updateTimers(): void {
    if (this.csr[Slot.MENVCFG * 2 + 1]! < 0) {
      // menvcfg.STCE (bit 63): STIP = time >= stimecmp
      const cmp = (this.csr[Slot.STIMECMP * 2 + 1]! >>> 0) * 0x1_0000_0000 + (this.csr[Slot.STIMECMP * 2]! >>> 0);
      this.setInterruptLine(MIP.STIP, this.clock.now() >= cmp);
    } else if (this.mipHw & MIP.STIP) {
      this.setInterruptLine(MIP.STIP, false);
    }
  }

  /** Guest ticks until the Sstc timer fires (Infinity when disabled or unreachable). */
  ticksUntilTimer(): number {
    if (this.csr[Slot.MENVCFG * 2 + 1]! >= 0) return Infinity;
    const cmp = (this.csr[Slot.STIMECMP * 2 + 1]! >>> 0) * 0x1_0000_0000 + (this.csr[Slot.STIMECMP * 2]! >>> 0);
    if (cmp >= 2 ** 53) return Infinity;
    return Math.max(0, cmp - this.clock.now());
  }

  /** Effective privilege for loads and stores (mstatus.MPRV, privileged spec 3.1.6.3). */
  dataPriv(): number {
    const s = this.state;
    if (s.priv === PRIV.M && s.mstatus & MSTATUS.MPRV) return (s.mstatus >>> MSTATUS.MPP_SHIFT) & 3;
    return s.priv;
  }
}
