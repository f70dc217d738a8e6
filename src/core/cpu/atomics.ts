/**
 * The A extension (unprivileged spec chapter 8): LR/SC with a reservation, and the AMOs.
 * One hart, so every AMO is trivially atomic; the reservation is derived state (never
 * migrated) and is cleared by traps and xRET.
 */
import { CAUSE } from '../isa/causes.ts';
import type { Hart } from './hart.ts';
import { atomicAddress } from './mmu.ts';

const enum AMO {
  ADD = 0x00,
  SWAP = 0x01,
  LR = 0x02,
  SC = 0x03,
  XOR = 0x04,
  OR = 0x08,
  AND = 0x0c,
  MIN = 0x10,
  MAX = 0x14,
  MINU = 0x18,
  MAXU = 0x1c,
}

/** Executes an AMO-opcode instruction; returns -1 or an exception cause (tval on the hart). */
export function execAmo(h: Hart, insn: number): number {
  const f3 = (insn >>> 12) & 7;
  if (f3 !== 2 && f3 !== 3) return CAUSE.ILLEGAL_INSTRUCTION;
  const x = h.x;
  const i32 = h.i32;
  const f5 = insn >>> 27;
  const rd = ((insn >>> 7) & 31) << 1;
  const r1 = ((insn >>> 15) & 31) << 1;
  const r2 = ((insn >>> 20) & 31) << 1;
  const size = f3 === 2 ? 4 : 8;
  const aLo = x[r1]!;
  const aHi = x[r1 + 1]!;

  if (f5 === AMO.LR) {
    if (r2 !== 0) return CAUSE.ILLEGAL_INSTRUCTION;
    const o = atomicAddress(h, aLo, aHi, size, true);
    if (o < 0) return takeFault(h);
    const lo = i32[o >>> 2]!;
    x[rd] = lo;
    x[rd + 1] = size === 4 ? lo >> 31 : i32[(o >>> 2) + 1]!;
    h.resValid = true;
    h.resAddr = o;
    return -1;
  }
  if (f5 !== AMO.SC && f5 !== AMO.SWAP && f5 !== AMO.ADD && f5 !== AMO.XOR && f5 !== AMO.AND && f5 !== AMO.OR &&
      f5 !== AMO.MIN && f5 !== AMO.MAX && f5 !== AMO.MINU && f5 !== AMO.MAXU) {
    return CAUSE.ILLEGAL_INSTRUCTION;
  }
  const o = atomicAddress(h, aLo, aHi, size, false);
  if (o < 0) return takeFault(h);
  const w = o >>> 2;
  const bLo = x[r2]!;
  // The operand as the instruction width sees it (a .W operand is its low word, sign-extended).
  const bHi = size === 4 ? bLo >> 31 : x[r2 + 1]!;

  if (f5 === AMO.SC) {
    const ok = h.resValid && h.resAddr === o;
    if (ok) {
      i32[w] = bLo;
      if (size === 8) i32[w + 1] = bHi;
      h.bus.ram.markDirty(h.ramBase + o, size);
    }
    x[rd] = ok ? 0 : 1;
    x[rd + 1] = 0;
    h.resValid = false;
    return -1;
  }

  const oLo = i32[w]!;
  const oHi = size === 4 ? oLo >> 31 : i32[w + 1]!;
  let nLo: number;
  let nHi: number;
  switch (f5) {
    case AMO.SWAP: nLo = bLo; nHi = bHi; break;
    case AMO.ADD: nLo = (oLo + bLo) | 0; nHi = (oHi + bHi + ((nLo >>> 0) < (oLo >>> 0) ? 1 : 0)) | 0; break;
    case AMO.XOR: nLo = oLo ^ bLo; nHi = oHi ^ bHi; break;
    case AMO.AND: nLo = oLo & bLo; nHi = oHi & bHi; break;
    case AMO.OR: nLo = oLo | bLo; nHi = oHi | bHi; break;
    default: {
      const signed = f5 === AMO.MIN || f5 === AMO.MAX;
      const less = signed
        ? oHi < bHi || (oHi === bHi && (oLo >>> 0) < (bLo >>> 0))
        : oHi >>> 0 < bHi >>> 0 || (oHi === bHi && (oLo >>> 0) < (bLo >>> 0));
      const pickOld = f5 === AMO.MIN || f5 === AMO.MINU ? less : !less;
      nLo = pickOld ? oLo : bLo;
      nHi = pickOld ? oHi : bHi;
    }
  }
  i32[w] = nLo;
  if (size === 8) i32[w + 1] = nHi;
  h.bus.ram.markDirty(h.ramBase + o, size);
  x[rd] = oLo;
  x[rd + 1] = oHi;
  return -1;
}

function takeFault(h: Hart): number {
  const cause = h.exc;
  h.exc = -1;
  return cause;
}
