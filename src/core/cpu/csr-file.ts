/**
 * The CSR file: access checks (privileged spec 2.1: csr[11:10] = 3 is read-only, csr[9:8] is the
 * lowest privilege that may access it) and the WARL behaviour of each register.
 * `csrRead` leaves the value in `csrLo/csrHi` and returns false for an illegal access;
 * `csrWrite` returns false for an illegal access.
 */
import { CSR, FS, MSTATUS, MSTATUS_HI_SD, MSTATUS_HI_UXL_SXL, MSTATUS_WRITABLE, SSTATUS_MASK, MIP, S_INTERRUPTS, ALL_INTERRUPTS, MEDELEG_WRITABLE, MENVCFG_HI_STCE, SATP_MODE } from '../isa/csr.ts';
import { PRIV } from '../isa/causes.ts';
import { MHARTID, PMP_ENTRIES, Slot } from './hart-state.ts';
import type { Hart } from './hart.ts';

export let csrLo = 0;
export let csrHi = 0;

/** misa: MXL = 2 (RV64) and the letters A C D F I M S U. */
const MISA_LO = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);
const MISA_HI = 2 << 30;

const TWO32 = 0x1_0000_0000;
const big = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const MASK64 = (1n << 64n) - 1n;

function set(lo: number, hi: number): true {
  csrLo = lo | 0;
  csrHi = hi | 0;
  return true;
}

function mstatusHi(h: Hart): number {
  const fs = (h.state.mstatus >>> MSTATUS.FS_SHIFT) & 3;
  return MSTATUS_HI_UXL_SXL | (fs === FS.DIRTY ? MSTATUS_HI_SD : 0);
}

/** A counter read through cycle/instret (and their M-mode names): instret + offset, mod 2^64. */
function counter(h: Hart, slot: Slot): true {
  const v = (BigInt(h.state.instret) + big(h.csr[slot * 2]!, h.csr[slot * 2 + 1]!)) & MASK64;
  return set(Number(v & 0xffffffffn), Number(v >> 32n));
}

/** Counter access from S/U is gated by mcounteren and (for U) scounteren (spec 3.1.11). */
function counterAllowed(h: Hart, bit: number): boolean {
  const p = h.state.priv;
  if (p === PRIV.M) return true;
  if (!((h.state.mcounteren >>> bit) & 1)) return false;
  return p === PRIV.S || ((h.state.scounteren >>> bit) & 1) === 1;
}

function fpEnabled(h: Hart): boolean {
  return (h.state.mstatus & MSTATUS.FS) !== 0;
}

function markFpDirty(h: Hart): void {
  h.state.mstatus |= MSTATUS.FS;
}

function slotRead(h: Hart, slot: Slot): true {
  return set(h.csr[slot * 2]!, h.csr[slot * 2 + 1]!);
}

function slotWrite(h: Hart, slot: Slot, lo: number, hi: number): void {
  h.csr[slot * 2] = lo;
  h.csr[slot * 2 + 1] = hi;
}

export function csrRead(h: Hart, csr: number): boolean {
  const s = h.state;
  if (((csr >>> 8) & 3) > s.priv) return false;
  switch (csr) {
    case CSR.FFLAGS: return fpEnabled(h) && set(s.fflags, 0);
    case CSR.FRM: return fpEnabled(h) && set(s.frm, 0);
    case CSR.FCSR: return fpEnabled(h) && set((s.frm << 5) | s.fflags, 0);
    case CSR.CYCLE: return counterAllowed(h, 0) && counter(h, Slot.CYCLE_OFFSET);
    case CSR.TIME: {
      if (!counterAllowed(h, 1)) return false;
      const t = h.clock.now();
      return set(t % TWO32, Math.floor(t / TWO32));
    }
    case CSR.INSTRET: return counterAllowed(h, 2) && counter(h, Slot.INSTRET_OFFSET);
    case CSR.SSTATUS: return set(s.mstatus & SSTATUS_MASK, mstatusHi(h) & ~(3 << 2)); // no SXL in sstatus
    case CSR.SIE: return set(s.mie & s.mideleg & S_INTERRUPTS, 0);
    case CSR.STVEC: return slotRead(h, Slot.STVEC);
    case CSR.SCOUNTEREN: return set(s.scounteren, 0);
    case CSR.SENVCFG: return slotRead(h, Slot.SENVCFG);
    case CSR.SSCRATCH: return slotRead(h, Slot.SSCRATCH);
    case CSR.SEPC: return slotRead(h, Slot.SEPC);
    case CSR.SCAUSE: return slotRead(h, Slot.SCAUSE);
    case CSR.STVAL: return slotRead(h, Slot.STVAL);
    case CSR.SIP: return set(h.mip() & s.mideleg & S_INTERRUPTS, 0);
    case CSR.STIMECMP:
      if (s.priv === PRIV.S && (!(s.mcounteren & 2) || !(h.csr[Slot.MENVCFG * 2 + 1]! & MENVCFG_HI_STCE))) return false;
      return slotRead(h, Slot.STIMECMP);
    case CSR.SATP:
      if (s.priv === PRIV.S && s.mstatus & MSTATUS.TVM) return false;
      return slotRead(h, Slot.SATP);
    case CSR.MVENDORID:
    case CSR.MARCHID:
    case CSR.MIMPID:
    case CSR.MCONFIGPTR:
      return set(0, 0);
    case CSR.MHARTID: return set(MHARTID, 0);
    case CSR.MSTATUS: return set(s.mstatus, mstatusHi(h));
    case CSR.MISA: return set(MISA_LO, MISA_HI);
    case CSR.MEDELEG: return set(s.medeleg, 0);
    case CSR.MIDELEG: return set(s.mideleg, 0);
    case CSR.MIE: return set(s.mie, 0);
    case CSR.MTVEC: return slotRead(h, Slot.MTVEC);
    case CSR.MCOUNTEREN: return set(s.mcounteren, 0);
    case CSR.MENVCFG: return slotRead(h, Slot.MENVCFG);
    case CSR.MCOUNTINHIBIT: return set(s.mcountinhibit, 0);
    case CSR.MSCRATCH: return slotRead(h, Slot.MSCRATCH);
    case CSR.MEPC: return slotRead(h, Slot.MEPC);
    case CSR.MCAUSE: return slotRead(h, Slot.MCAUSE);
    case CSR.MTVAL: return slotRead(h, Slot.MTVAL);
    case CSR.MIP: return set(h.mip(), 0);
    case CSR.MCYCLE: return counter(h, Slot.CYCLE_OFFSET);
    case CSR.MINSTRET: return counter(h, Slot.INSTRET_OFFSET);
    case CSR.TSELECT:
    case CSR.TDATA1:
    case CSR.TDATA2:
    case CSR.TDATA3:
      return set(0, 0); // no triggers: tdata1.type = 0
  }
  if (csr >= CSR.PMPCFG0 && csr <= CSR.PMPCFG15) {
    if (csr & 1) return false; // odd pmpcfg registers do not exist on RV64
    if (csr === CSR.PMPCFG0) return slotRead(h, Slot.PMPCFG0);
    if (csr === CSR.PMPCFG0 + 2) return slotRead(h, Slot.PMPCFG2);
    return set(0, 0);
  }
  if (csr >= CSR.PMPADDR0 && csr <= CSR.PMPADDR63) {
    const n = csr - CSR.PMPADDR0;
    return n < PMP_ENTRIES ? slotRead(h, Slot.PMPADDR0 + n) : set(0, 0);
  }
  if ((csr >= CSR.MHPMCOUNTER3 && csr <= CSR.MHPMCOUNTER31) || (csr >= CSR.MHPMEVENT3 && csr <= CSR.MHPMEVENT31)) return set(0, 0);
  if (csr >= CSR.HPMCOUNTER3 && csr <= CSR.HPMCOUNTER31) return counterAllowed(h, csr - CSR.CYCLE) && set(0, 0);
  return false;
}

/** Writes a CSR (the caller has checked that it exists and is accessible by reading it first). */
export function csrWrite(h: Hart, csr: number, lo: number, hi: number): boolean {
  const s = h.state;
  if (csr >>> 10 === 3) return false; // read-only range
  switch (csr) {
    case CSR.FFLAGS: s.fflags = lo & 0x1f; markFpDirty(h); return true;
    case CSR.FRM: s.frm = lo & 7; markFpDirty(h); return true;
    case CSR.FCSR: s.fflags = lo & 0x1f; s.frm = (lo >>> 5) & 7; markFpDirty(h); return true;
    case CSR.SSTATUS: writeMstatus(h, (s.mstatus & ~SSTATUS_MASK) | (lo & SSTATUS_MASK)); return true;
    case CSR.SIE: s.mie = (s.mie & ~s.mideleg) | (lo & s.mideleg & S_INTERRUPTS); h.irqCheck = true; return true;
    case CSR.STVEC: slotWrite(h, Slot.STVEC, lo & ~2, hi); return true;
    case CSR.SCOUNTEREN: s.scounteren = lo; return true;
    case CSR.SENVCFG: slotWrite(h, Slot.SENVCFG, lo & 1, 0); return true;
    case CSR.SSCRATCH: slotWrite(h, Slot.SSCRATCH, lo, hi); return true;
    case CSR.SEPC: slotWrite(h, Slot.SEPC, lo & ~1, hi); return true;
    case CSR.SCAUSE: slotWrite(h, Slot.SCAUSE, lo, hi); return true;
    case CSR.STVAL: slotWrite(h, Slot.STVAL, lo, hi); return true;
    case CSR.SIP:
      // Only SSIP is writable through sip, and only when delegated.
      s.mipSw = (s.mipSw & ~(MIP.SSIP & s.mideleg)) | (lo & MIP.SSIP & s.mideleg);
      h.irqCheck = true;
      return true;
    case CSR.STIMECMP: slotWrite(h, Slot.STIMECMP, lo, hi); h.updateTimers(); h.irqCheck = true; return true;
    case CSR.SATP: {
      const mode = hi >>> 28;
      // Unsupported modes leave satp unchanged (WARL, spec 4.1.11). ASIDs are not implemented.
      if (mode !== SATP_MODE.BARE && mode !== SATP_MODE.SV39 && mode !== SATP_MODE.SV48) return true;
      slotWrite(h, Slot.SATP, lo, mode === SATP_MODE.BARE ? 0 : hi & 0xf0000fff);
      if (mode === SATP_MODE.BARE) slotWrite(h, Slot.SATP, 0, 0);
      h.flushTlb();
      return true;
    }
    case CSR.MSTATUS: writeMstatus(h, lo); return true;
    case CSR.MISA: return true; // WARL, fixed
    case CSR.MEDELEG: s.medeleg = lo & MEDELEG_WRITABLE; return true;
    case CSR.MIDELEG: s.mideleg = lo & S_INTERRUPTS; h.irqCheck = true; return true;
    case CSR.MIE: s.mie = lo & ALL_INTERRUPTS; h.irqCheck = true; return true;
    case CSR.MTVEC: slotWrite(h, Slot.MTVEC, lo & ~2, hi); return true;
    case CSR.MCOUNTEREN: s.mcounteren = lo; return true;
    case CSR.MENVCFG: slotWrite(h, Slot.MENVCFG, lo & 1, hi & MENVCFG_HI_STCE); h.updateTimers(); h.irqCheck = true; return true;
    case CSR.MCOUNTINHIBIT: s.mcountinhibit = lo & ~2; return true;
    case CSR.MSCRATCH: slotWrite(h, Slot.MSCRATCH, lo, hi); return true;
    case CSR.MEPC: slotWrite(h, Slot.MEPC, lo & ~1, hi); return true;
    case CSR.MCAUSE: slotWrite(h, Slot.MCAUSE, lo, hi); return true;
    case CSR.MTVAL: slotWrite(h, Slot.MTVAL, lo, hi); return true;
    case CSR.MIP: {
      const writable = MIP.SSIP | MIP.SEIP | (h.csr[Slot.MENVCFG * 2 + 1]! & MENVCFG_HI_STCE ? 0 : MIP.STIP);
      s.mipSw = (s.mipSw & ~writable) | (lo & writable);
      h.irqCheck = true;
      return true;
    }
    case CSR.MCYCLE: writeCounter(h, Slot.CYCLE_OFFSET, lo, hi); return true;
    case CSR.MINSTRET: writeCounter(h, Slot.INSTRET_OFFSET, lo, hi); return true;
    case CSR.TSELECT:
    case CSR.TDATA1:
    case CSR.TDATA2:
    case CSR.TDATA3:
      return true;
  }
  if (csr === CSR.PMPCFG0) { slotWrite(h, Slot.PMPCFG0, lo & 0x9f9f9f9f, hi & 0x9f9f9f9f); return true; }
  if (csr === CSR.PMPCFG0 + 2) { slotWrite(h, Slot.PMPCFG2, lo & 0x9f9f9f9f, hi & 0x9f9f9f9f); return true; }
  if (csr >= CSR.PMPCFG0 && csr <= CSR.PMPCFG15) return true;
  if (csr >= CSR.PMPADDR0 && csr <= CSR.PMPADDR63) {
    const n = csr - CSR.PMPADDR0;
    if (n < PMP_ENTRIES) slotWrite(h, Slot.PMPADDR0 + n, lo, hi & 0x3fffff); // 54-bit addresses
    return true;
  }
  if ((csr >= CSR.MHPMCOUNTER3 && csr <= CSR.MHPMCOUNTER31) || (csr >= CSR.MHPMEVENT3 && csr <= CSR.MHPMEVENT31)) return true;
  return false;
}

/**
 * minstret/mcycle writes: the written value is what the counter holds after this instruction
 * retires, so the write does not also count the writing instruction (spec 3.1.11).
 */
function writeCounter(h: Hart, slot: Slot, lo: number, hi: number): void {
  const off = (big(lo, hi) - BigInt(h.state.instret + 1)) & MASK64;
  slotWrite(h, slot, Number(off & 0xffffffffn), Number(off >> 32n));
}

export function writeMstatus(h: Hart, value: number): void {
  const s = h.state;
  let v = (s.mstatus & ~MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE);
  // MPP = 2 is reserved: keep the previous value (WARL).
  if (((v >>> MSTATUS.MPP_SHIFT) & 3) === 2) v = (v & ~MSTATUS.MPP) | (s.mstatus & MSTATUS.MPP);
  const changed = s.mstatus ^ v;
  s.mstatus = v;
  if (changed & (MSTATUS.MPRV | MSTATUS.MPP | MSTATUS.SUM | MSTATUS.MXR)) h.flushTlb();
  if (changed & (MSTATUS.MIE | MSTATUS.SIE)) h.irqCheck = true;
}

/**
 * Reads a CSR for a debugger or UI: as M-mode would, without changing anything. Returns the
 * value as a BigInt, or undefined when the CSR does not exist.
 */
export function peekCsr(h: Hart, csr: number): bigint | undefined {
  const s = h.state;
  const priv = s.priv;
  s.priv = PRIV.M;
  try {
    if (!csrRead(h, csr)) return undefined;
    return (BigInt(csrHi >>> 0) << 32n) | BigInt(csrLo >>> 0);
  } finally {
    s.priv = priv;
  }
}
