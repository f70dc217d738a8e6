/**
 * Trap entry and return (privileged spec 3.1.6.1, 3.1.7, 3.1.8, 3.3.2): delegation to S-mode,
 * the xIE/xPIE/xPP stack, vectored interrupts, and the interrupt priority order
 * MEI > MSI > MTI > SEI > SSI > STI.
 */
import { IRQ, MSTATUS } from '../isa/csr.ts';
import { PRIV } from '../isa/causes.ts';
import { Slot } from './hart-state.ts';
import type { Hart } from './hart.ts';

const PRIORITY = [IRQ.MEI, IRQ.MSI, IRQ.MTI, IRQ.SEI, IRQ.SSI, IRQ.STI];

/**
 * Enters a trap for `cause` (an interrupt when `interrupt`) raised by the instruction at pc.
 * Updates pc in the hart state.
 */
export function takeTrap(h: Hart, cause: number, interrupt: boolean, tvalLo: number, tvalHi: number): void {
  const s = h.state;
  const csr = h.csr;
  const deleg = interrupt ? s.mideleg : s.medeleg;
  const prev = s.priv;
  const causeHi = interrupt ? 0x80000000 | 0 : 0;
  let vec: Slot;
  if (prev <= PRIV.S && (deleg >>> cause) & 1) {
    csr[Slot.SCAUSE * 2] = cause;
    csr[Slot.SCAUSE * 2 + 1] = causeHi;
    csr[Slot.SEPC * 2] = s.pcLo;
    csr[Slot.SEPC * 2 + 1] = s.pcHi;
    csr[Slot.STVAL * 2] = tvalLo;
    csr[Slot.STVAL * 2 + 1] = tvalHi;
    let m = s.mstatus;
    m = m & MSTATUS.SIE ? m | MSTATUS.SPIE : m & ~MSTATUS.SPIE;
    m &= ~MSTATUS.SIE;
    m = prev === PRIV.S ? m | MSTATUS.SPP : m & ~MSTATUS.SPP;
    s.mstatus = m;
    s.priv = PRIV.S;
    vec = Slot.STVEC;
  } else {
    csr[Slot.MCAUSE * 2] = cause;
    csr[Slot.MCAUSE * 2 + 1] = causeHi;
    csr[Slot.MEPC * 2] = s.pcLo;
    csr[Slot.MEPC * 2 + 1] = s.pcHi;
    csr[Slot.MTVAL * 2] = tvalLo;
    csr[Slot.MTVAL * 2 + 1] = tvalHi;
    let m = s.mstatus;
    m = m & MSTATUS.MIE ? m | MSTATUS.MPIE : m & ~MSTATUS.MPIE;
    m &= ~MSTATUS.MIE;
    m = (m & ~MSTATUS.MPP) | (prev << MSTATUS.MPP_SHIFT);
    s.mstatus = m;
    s.priv = PRIV.M;
    vec = Slot.MTVEC;
  }
  const baseLo = csr[vec * 2]!;
  const baseHi = csr[vec * 2 + 1]!;
  let lo = baseLo & ~3;
  let hi = baseHi;
  if (interrupt && (baseLo & 3) === 1) {
    const target = (lo + 4 * cause) | 0;
    if ((target >>> 0) < (lo >>> 0)) hi = (hi + 1) | 0;
    lo = target;
  }
  s.pcLo = lo;
  s.pcHi = hi;
  if (!interrupt) {
    // An instruction that raises an exception, ECALL and EBREAK included, does not retire
    // (Zicntr): the run loop still counts it (guest time is made of executed instructions),
    // so minstret = instret + offset takes it back out of the offset.
    const off = Slot.INSTRET_OFFSET * 2;
    const offLo = csr[off]!;
    csr[off] = (offLo - 1) | 0;
    if (offLo === 0) csr[off + 1] = (csr[off + 1]! - 1) | 0;
  }
  if (prev !== s.priv) h.flushTlb();
  h.resValid = false;
  h.irqCheck = true;
}

/** The interrupt to take now, or -1 (privileged spec 3.1.9). */
export function pendingInterrupt(h: Hart): number {
  const s = h.state;
  const pending = h.mip() & s.mie;
  if (pending === 0) return -1;
  const mEnabled = s.priv < PRIV.M || (s.mstatus & MSTATUS.MIE) !== 0;
  const sEnabled = s.priv < PRIV.S || (s.priv === PRIV.S && (s.mstatus & MSTATUS.SIE) !== 0);
  const toM = pending & ~s.mideleg;
  const toS = pending & s.mideleg;
  let enabled = 0;
  if (mEnabled) enabled |= toM;
  if (sEnabled) enabled |= toS;
  if (enabled === 0) return -1;
  for (const irq of PRIORITY) if ((enabled >>> irq) & 1) return irq;
  return -1;
}

/** MRET: privileged spec 3.3.2. */
export function mret(h: Hart): void {
  const s = h.state;
  let m = s.mstatus;
  const mpp = (m >>> MSTATUS.MPP_SHIFT) & 3;
  m = m & MSTATUS.MPIE ? m | MSTATUS.MIE : m & ~MSTATUS.MIE;
  m |= MSTATUS.MPIE;
  m &= ~MSTATUS.MPP; // MPP = U, the least-privileged supported mode
  if (mpp !== PRIV.M) m &= ~MSTATUS.MPRV;
  s.mstatus = m;
  s.pcLo = h.csr[Slot.MEPC * 2]!;
  s.pcHi = h.csr[Slot.MEPC * 2 + 1]!;
  s.priv = mpp;
  h.flushTlb();
  h.resValid = false;
  h.irqCheck = true;
}

/** SRET: privileged spec 3.3.2. */
export function sret(h: Hart): void {
  const s = h.state;
  let m = s.mstatus;
  const spp = m & MSTATUS.SPP ? PRIV.S : PRIV.U;
  m = m & MSTATUS.SPIE ? m | MSTATUS.SIE : m & ~MSTATUS.SIE;
  m |= MSTATUS.SPIE;
  m &= ~MSTATUS.SPP;
  m &= ~MSTATUS.MPRV; // returning to a mode below M
  s.mstatus = m;
  s.pcLo = h.csr[Slot.SEPC * 2]!;
  s.pcHi = h.csr[Slot.SEPC * 2 + 1]!;
  s.priv = spp;
  h.flushTlb();
  h.resValid = false;
  h.irqCheck = true;
}
