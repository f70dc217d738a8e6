/**
 * FMIN/FMAX (spec 11.6, IEEE 754-2019 minimumNumber/maximumNumber: -0 < +0, one NaN operand
 * yields the other, two NaNs yield the canonical NaN, sNaN raises NV) and FEQ/FLT/FLE
 * (FEQ is quiet: NV only for sNaN; FLT/FLE are signaling: NV for any NaN).
 */
import {
  isNaND, isNaNS, isSignalingD, isSignalingS, unboxedBits, unboxedValue, writeBoxed,
} from './bits.ts';
import { CANONICAL_NAN_D_HI, CANONICAL_NAN_D_LO, CANONICAL_NAN_S, Flag } from './constants.ts';

/** Comparison kinds, from the funct3 of FEQ/FLT/FLE. */
export const enum CmpOp {
  LE = 0,
  LT = 1,
  EQ = 2,
}

export function minMaxS(f: Int32Array, rd: number, rs1: number, rs2: number, isMax: boolean): number {
  const a = unboxedBits(f, rs1);
  const b = unboxedBits(f, rs2);
  const flags = isSignalingS(a) || isSignalingS(b) ? Flag.NV : 0;
  const aNaN = isNaNS(a);
  const bNaN = isNaNS(b);
  let r: number;
  if (aNaN || bNaN) {
    r = aNaN && bNaN ? CANONICAL_NAN_S : aNaN ? b : a;
  } else {
    // Integer ordering of sign-magnitude bits: compare as signed after flipping negatives.
    const ka = a < 0 ? a ^ 0x7fffffff : a;
    const kb = b < 0 ? b ^ 0x7fffffff : b;
    r = (ka < kb) !== isMax ? a : b;
  }
  writeBoxed(f, rd, r);
  return flags;
}

export function minMaxD(f: Int32Array, rd: number, rs1: number, rs2: number, isMax: boolean): number {
  const ahi = f[2 * rs1 + 1];
  const alo = f[2 * rs1];
  const bhi = f[2 * rs2 + 1];
  const blo = f[2 * rs2];
  const flags = isSignalingD(ahi, alo) || isSignalingD(bhi, blo) ? Flag.NV : 0;
  const aNaN = isNaND(ahi, alo);
  const bNaN = isNaND(bhi, blo);
  let takeA: boolean;
  if (aNaN && bNaN) {
    f[2 * rd] = CANONICAL_NAN_D_LO;
    f[2 * rd + 1] = CANONICAL_NAN_D_HI;
    return flags;
  } else if (aNaN || bNaN) {
    takeA = bNaN;
  } else {
    takeA = lessD(ahi, alo, bhi, blo) !== isMax;
  }
  const hi = takeA ? ahi : bhi;
  const lo = takeA ? alo : blo;
  f[2 * rd] = lo;
  f[2 * rd + 1] = hi;
  return flags;
}

/** Total order of non-NaN doubles by bits, with -0 < +0. */
function lessD(ahi: number, alo: number, bhi: number, blo: number): boolean {
  const ka = ahi < 0 ? ahi ^ 0x7fffffff : ahi;
  const kb = bhi < 0 ? bhi ^ 0x7fffffff : bhi;
  if (ka !== kb) return ka < kb;
  // Same high word: order the low words; for negatives a larger magnitude is smaller.
  const ua = alo >>> 0;
  const ub = blo >>> 0;
  return ahi < 0 ? ua > ub : ua < ub;
}

/** FEQ/FLT/FLE.S: writes 0/1 to x[rd] (unless rd = 0); returns the flags. */
export function compareS(
  x: Int32Array, f: Int32Array, fs: Float32Array, rd: number, rs1: number, rs2: number, op: CmpOp,
): number {
  const a = unboxedValue(f, fs, rs1);
  const b = unboxedValue(f, fs, rs2);
  let flags = 0;
  let r = 0;
  if (a !== a || b !== b) {
    const signaling = isSignalingS(unboxedBits(f, rs1)) || isSignalingS(unboxedBits(f, rs2));
    if (op !== CmpOp.EQ || signaling) flags = Flag.NV;
  } else {
    r = op === CmpOp.EQ ? +(a === b) : op === CmpOp.LT ? +(a < b) : +(a <= b);
  }
  if (rd !== 0) {
    x[2 * rd] = r;
    x[2 * rd + 1] = 0;
  }
  return flags;
}

export function compareD(
  x: Int32Array, f: Int32Array, fd: Float64Array, rd: number, rs1: number, rs2: number, op: CmpOp,
): number {
  const a = fd[rs1];
  const b = fd[rs2];
  let flags = 0;
  let r = 0;
  if (a !== a || b !== b) {
    const signaling = isSignalingD(f[2 * rs1 + 1], f[2 * rs1]) || isSignalingD(f[2 * rs2 + 1], f[2 * rs2]);
    if (op !== CmpOp.EQ || signaling) flags = Flag.NV;
  } else {
    r = op === CmpOp.EQ ? +(a === b) : op === CmpOp.LT ? +(a < b) : +(a <= b);
  }
  if (rd !== 0) {
    x[2 * rd] = r;
    x[2 * rd + 1] = 0;
  }
  return flags;
}
