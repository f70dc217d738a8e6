/**
 * Address translation (privileged spec 4.3–4.4: Sv39 and Sv48) and the slow paths of every
 * memory access: TLB misses, device registers, misaligned and page-crossing accesses.
 * Faults are recorded on the hart (`exc`, `excTvalLo/Hi`) and signalled by a return value;
 * the interpreter takes them at its single trap exit.
 */
import { CAUSE, PRIV } from '../isa/causes.ts';
import { MSTATUS, SATP_MODE } from '../isa/csr.ts';
import { Slot } from './hart-state.ts';
import { Access, TLB_MASK, type Tlb } from './tlb.ts';
import type { Hart } from './hart.ts';

const enum PTE {
  V = 1 << 0,
  R = 1 << 1,
  W = 1 << 2,
  X = 1 << 3,
  U = 1 << 4,
  G = 1 << 5,
  A = 1 << 6,
  D = 1 << 7,
}

const PAGE_FAULT = [CAUSE.LOAD_PAGE_FAULT, CAUSE.STORE_PAGE_FAULT, CAUSE.FETCH_PAGE_FAULT];
const ACCESS_FAULT = [CAUSE.LOAD_ACCESS, CAUSE.STORE_ACCESS, CAUSE.FETCH_ACCESS];
const TWO32 = 0x1_0000_0000;

export function fault(h: Hart, cause: number, vaLo: number, vaHi: number): void {
  h.exc = cause;
  h.excTvalLo = vaLo;
  h.excTvalHi = vaHi;
}

/**
 * Translates a virtual address for `access` at privilege `priv`. Returns the physical address
 * (a JS number), or -1 after recording a page fault or access fault on the hart.
 */
export function translate(h: Hart, vaLo: number, vaHi: number, access: Access, priv: number): number {
  const csr = h.csr;
  const satpHi = csr[Slot.SATP * 2 + 1]!;
  const mode = satpHi >>> 28;
  if (priv === PRIV.M || mode === SATP_MODE.BARE) {
    return (vaHi >>> 0) * TWO32 + (vaLo >>> 0);
  }
  const levels = mode === SATP_MODE.SV39 ? 3 : 4;
  // The address must be sign-extended from bit 38 (Sv39) or 47 (Sv48).
  const top = levels === 3 ? vaHi >> 6 : vaHi >> 15;
  if (top !== 0 && top !== -1) {
    fault(h, PAGE_FAULT[access]!, vaLo, vaHi);
    return -1;
  }
  const mstatus = h.state.mstatus;
  // satp.PPN is bits 43:0: low word 31:0 and high word 11:0.
  let table = ((satpHi & 0xfff) * TWO32 + (csr[Slot.SATP * 2]! >>> 0)) * 4096;
  const ram = h.bus.ram;
  for (let level = levels - 1; level >= 0; level--) {
    // VPN[level] = va[20 + 9·level : 12 + 9·level]
    const vpn =
      level === 0 ? (vaLo >>> 12) & 511
      : level === 1 ? (vaLo >>> 21) & 511
      : level === 2 ? ((vaLo >>> 30) | (vaHi << 2)) & 511
      : (vaHi >>> 7) & 511;
    const pteAddr = table + vpn * 8;
    if (!ram.contains(pteAddr, 8)) {
      fault(h, ACCESS_FAULT[access]!, vaLo, vaHi);
      return -1;
    }
    const o = (pteAddr - h.ramBase) >> 2;
    let lo = h.i32[o]!;
    const hi = h.i32[o + 1]!;
    if (!(lo & PTE.V) || (!(lo & PTE.R) && lo & PTE.W) || hi >>> 22 !== 0) {
      // Invalid, reserved W-without-R, or reserved/Svpbmt/Svnapot bits 63:54 set.
      fault(h, PAGE_FAULT[access]!, vaLo, vaHi);
      return -1;
    }
    const ppnLo = lo >>> 10; // PPN bits 21:0
    const ppn = (hi & 0x3fffff) * 4194304 + ppnLo;
    if (!(lo & (PTE.R | PTE.X))) {
      table = ppn * 4096;
      continue;
    }
    // A leaf: check permissions (privileged spec 4.3.2 step 5).
    let ok: boolean;
    if (access === Access.EXECUTE) ok = (lo & PTE.X) !== 0;
    else if (access === Access.READ) ok = (lo & PTE.R) !== 0 || ((mstatus & MSTATUS.MXR) !== 0 && (lo & PTE.X) !== 0);
    else ok = (lo & PTE.W) !== 0;
    if (lo & PTE.U) {
      if (priv === PRIV.S && (access === Access.EXECUTE || !(mstatus & MSTATUS.SUM))) ok = false;
    } else if (priv === PRIV.U) ok = false;
    // A superpage's low PPN fields must be zero (4.3.2 step 6); the VPN fills them in.
    let pageInSpan = 0;
    let misaligned = false;
    if (level === 1) {
      misaligned = (ppnLo & 0x1ff) !== 0;
      pageInSpan = (vaLo >>> 12) & 0x1ff;
    } else if (level === 2) {
      misaligned = (ppnLo & 0x3ffff) !== 0;
      pageInSpan = (vaLo >>> 12) & 0x3ffff;
    } else if (level === 3) {
      misaligned = ppnLo !== 0 || (hi & 0x1f) !== 0;
      pageInSpan = ((vaLo >>> 12) | (vaHi << 20)) & 0x7ffffff;
    }
    if (!ok || misaligned) {
      fault(h, PAGE_FAULT[access]!, vaLo, vaHi);
      return -1;
    }
    // Hardware A/D update (4.3.2 step 7).
    const need = PTE.A | (access === Access.WRITE ? PTE.D : 0);
    if ((lo & need) !== need) {
      lo |= need;
      h.i32[o] = lo;
      h.bus.ram.markDirty(pteAddr, 8);
    }
    return (ppn + pageInSpan) * 4096 + (vaLo & 0xfff);
  }
  fault(h, PAGE_FAULT[access]!, vaLo, vaHi);
  return -1;
}

/** Translates and, for a RAM page, fills the TLB. Returns the physical address or -1. */
function translateFill(h: Hart, vaLo: number, vaHi: number, access: Access, priv: number, tlb: Tlb): number {
  const pa = translate(h, vaLo, vaHi, access, priv);
  if (pa < 0) return -1;
  const page = pa - (pa % 4096);
  if (page >= h.ramBase && page + 4096 <= h.ramBase + h.ramSize) tlb.insert(vaLo, vaHi, page - h.ramBase);
  return pa;
}

/** Adds a small positive offset to a 64-bit address pair; the high word lands in `carryHi`. */
let carryHi = 0;
function addr(lo: number, hi: number, k: number): number {
  const r = (lo + k) | 0;
  carryHi = (hi + ((r >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
  return r;
}

/** Reads `size` bytes at a physical address: RAM or device. Sets h.lhi for 8 bytes. */
function physRead(h: Hart, pa: number, size: number, access: Access, vaLo: number, vaHi: number): number {
  const off = pa - h.ramBase;
  if (off >= 0 && off + size <= h.ramSize) {
    const u8 = h.u8;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < size && i < 4; i++) lo |= u8[off + i]! << (8 * i);
    for (let i = 4; i < size; i++) hi |= u8[off + i]! << (8 * (i - 4));
    h.lhi = hi;
    return lo;
  }
  const v = h.bus.readMmio(pa, size);
  if (v === undefined) {
    fault(h, ACCESS_FAULT[access]!, vaLo, vaHi);
    return 0;
  }
  h.lhi = h.bus.hi;
  return v;
}

/**
 * Slow-path load of 1, 2, 4 or 8 bytes: any alignment, any page crossing, devices. Returns the
 * low 32 bits (raw, not extended) with the high word in h.lhi; on a fault h.exc is set.
 */
export function loadSlow(h: Hart, vaLo: number, vaHi: number, size: number): number {
  const priv = h.dataPriv();
  const pageOff = vaLo & 0xfff;
  if (pageOff + size <= 4096) {
    const pa = translateFill(h, vaLo, vaHi, Access.READ, priv, h.rtlb);
    if (pa < 0) return 0;
    return physRead(h, pa, size, Access.READ, vaLo, vaHi);
  }
  // Crosses a page: translate both pages first, then read byte by byte.
  const first = 4096 - pageOff;
  const pa1 = translate(h, vaLo, vaHi, Access.READ, priv);
  if (pa1 < 0) return 0;
  const lo2 = addr(vaLo, vaHi, first);
  const pa2 = translate(h, lo2, carryHi, Access.READ, priv);
  if (pa2 < 0) return 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < size; i++) {
    const b = physRead(h, i < first ? pa1 + i : pa2 + (i - first), 1, Access.READ, vaLo, vaHi);
    if (h.exc >= 0) return 0;
    if (i < 4) lo |= b << (8 * i);
    else hi |= b << (8 * (i - 4));
  }
  h.lhi = hi;
  return lo;
}

function physWrite(h: Hart, pa: number, size: number, lo: number, hi: number, vaLo: number, vaHi: number): boolean {
  const off = pa - h.ramBase;
  if (off >= 0 && off + size <= h.ramSize) {
    const u8 = h.u8;
    for (let i = 0; i < size && i < 4; i++) u8[off + i] = lo >>> (8 * i);
    for (let i = 4; i < size; i++) u8[off + i] = hi >>> (8 * (i - 4));
    h.bus.ram.markDirty(pa, size);
    return true;
  }
  if (!h.bus.writeMmio(pa, size, lo, hi)) {
    fault(h, CAUSE.STORE_ACCESS, vaLo, vaHi);
    return false;
  }
  return true;
}

/** Slow-path store of 1, 2, 4 or 8 bytes (value lo/hi); on a fault h.exc is set. */
export function storeSlow(h: Hart, vaLo: number, vaHi: number, size: number, lo: number, hi: number): void {
  const priv = h.dataPriv();
  const pageOff = vaLo & 0xfff;
  if (pageOff + size <= 4096) {
    const pa = translateFill(h, vaLo, vaHi, Access.WRITE, priv, h.wtlb);
    if (pa < 0) return;
    physWrite(h, pa, size, lo, hi, vaLo, vaHi);
    return;
  }
  const first = 4096 - pageOff;
  const pa1 = translate(h, vaLo, vaHi, Access.WRITE, priv);
  if (pa1 < 0) return;
  const lo2 = addr(vaLo, vaHi, first);
  const pa2 = translate(h, lo2, carryHi, Access.WRITE, priv);
  if (pa2 < 0) return;
  for (let i = 0; i < size; i++) {
    const b = i < 4 ? lo >>> (8 * i) : hi >>> (8 * (i - 4));
    if (!physWrite(h, i < first ? pa1 + i : pa2 + (i - first), 1, b & 0xff, 0, vaLo, vaHi)) return;
  }
}

/**
 * Translates a data address for an atomic (LR/SC/AMO) and returns the byte offset into RAM, or
 * -1 with a fault recorded. AMOs need natural alignment and RAM (devices are not atomic here).
 */
export function atomicAddress(h: Hart, vaLo: number, vaHi: number, size: number, isLoad: boolean): number {
  if (vaLo & (size - 1)) {
    fault(h, isLoad ? CAUSE.MISALIGNED_LOAD : CAUSE.MISALIGNED_STORE, vaLo, vaHi);
    return -1;
  }
  const pa = translate(h, vaLo, vaHi, isLoad ? Access.READ : Access.WRITE, h.dataPriv());
  if (pa < 0) return -1;
  const off = pa - h.ramBase;
  if (off < 0 || off + size > h.ramSize) {
    fault(h, isLoad ? CAUSE.LOAD_ACCESS : CAUSE.STORE_ACCESS, vaLo, vaHi);
    return -1;
  }
  return off;
}

/**
 * Finds the RAM offset of the code page holding pc and fills the execute TLB. Returns the page's
 * RAM offset, -1 after a fault, or -2 when the page is executable but not RAM (a ROM device).
 */
export function fetchPage(h: Hart, pcLo: number, pcHi: number): number {
  const i = (pcLo >>> 12) & TLB_MASK;
  const t = h.xtlb;
  if (t.tagLo[i] === (pcLo & ~0xfff) && t.tagHi[i] === pcHi) return t.off[i]!;
  const pa = translateFill(h, pcLo, pcHi, Access.EXECUTE, h.state.priv, t);
  if (pa < 0) return -1;
  if (t.tagLo[i] === (pcLo & ~0xfff) && t.tagHi[i] === pcHi) return t.off[i]!;
  return -2;
}

/** Fetches 16 bits at pc from wherever it is (ROM devices, page-crossing halves). -1 on fault. */
export function fetchHalfSlow(h: Hart, pcLo: number, pcHi: number): number {
  const pa = translate(h, pcLo, pcHi, Access.EXECUTE, h.state.priv);
  if (pa < 0) return -1;
  const off = pa - h.ramBase;
  if (off >= 0 && off + 2 <= h.ramSize) return h.u16[off >>> 1]!;
  const v = h.bus.readMmio(pa, 2);
  if (v === undefined) {
    fault(h, CAUSE.FETCH_ACCESS, pcLo, pcHi);
    return -1;
  }
  return v & 0xffff;
}

export { addr as addOffset };
