/**
 * The architectural state of one hart as plain data (STYLE principle 1). Everything here is
 * guest-visible and migrates; TLBs, the LR/SC reservation and the compressed-instruction table
 * are derived and live on the Hart object instead (principle 3).
 *
 * 64-bit values are kept as pairs of int32 in typed arrays (`[2i] = low, [2i + 1] = high`):
 * JavaScript has no fast 64-bit integer, and pairs measured 2–3× faster than BigInt.
 */
import { PRIV } from '../isa/causes.ts';

/** Slots of the 64-bit CSRs in `HartState.csr` (each slot is a lo/hi pair). */
export const enum Slot {
  MTVEC,
  STVEC,
  MEPC,
  SEPC,
  MCAUSE,
  SCAUSE,
  MTVAL,
  STVAL,
  MSCRATCH,
  SSCRATCH,
  SATP,
  MENVCFG,
  SENVCFG,
  STIMECMP,
  /** minstret = instret + offset (64-bit wrap-around), so that writes need not touch instret. */
  INSTRET_OFFSET,
  CYCLE_OFFSET,
  PMPCFG0,
  PMPCFG2,
  PMPADDR0,
  COUNT = PMPADDR0 + 16,
}

export const PMP_ENTRIES = 16;

export interface HartState {
  /** x0–x31 as lo/hi int32 pairs. x[0] and x[1] always read 0. */
  x: Int32Array;
  /** f0–f31 as raw bits, lo/hi int32 pairs (singles NaN-boxed in the high word). */
  f: Int32Array;
  pcLo: number;
  pcHi: number;
  /** Current privilege level (PRIV.U, PRIV.S or PRIV.M). */
  priv: number;
  /** Low 32 bits of mstatus; UXL, SXL and SD are derived on read. */
  mstatus: number;
  medeleg: number;
  mideleg: number;
  mie: number;
  /** Software-writable bits of mip (SSIP, STIP without Sstc, SEIP); lines from devices are separate. */
  mipSw: number;
  mcounteren: number;
  scounteren: number;
  mcountinhibit: number;
  fflags: number;
  frm: number;
  /** Instructions retired since reset (exact below 2^53). */
  instret: number;
  /** The hart is waiting in WFI for an interrupt. */
  wfi: boolean;
  /** 64-bit CSRs, indexed by Slot. */
  csr: Int32Array;
}

export const MHARTID = 0;

export function createHartState(): HartState {
  const s: HartState = {
    x: new Int32Array(64),
    f: new Int32Array(64),
    pcLo: 0,
    pcHi: 0,
    priv: PRIV.M,
    mstatus: 0,
    medeleg: 0,
    mideleg: 0,
    mie: 0,
    mipSw: 0,
    mcounteren: 0,
    scounteren: 0,
    mcountinhibit: 0,
    fflags: 0,
    frm: 0,
    instret: 0,
    wfi: false,
    csr: new Int32Array(Slot.COUNT * 2),
  };
  return s;
}

/** Reset as the privileged spec 3.4 requires: M-mode, MIE = MPRV = 0, pc at the reset vector. */
export function resetHartState(s: HartState, resetPc: number): void {
  s.x.fill(0);
  s.f.fill(0);
  s.csr.fill(0);
  s.pcLo = resetPc | 0;
  s.pcHi = 0;
  s.priv = PRIV.M;
  s.mstatus = 0;
  s.medeleg = s.mideleg = s.mie = s.mipSw = 0;
  s.mcounteren = s.scounteren = s.mcountinhibit = 0;
  s.fflags = s.frm = 0;
  s.instret = 0;
  s.wfi = false;
}
