/**
 * Pure bit operations: FSGNJ/FSGNJN/FSGNJX (spec 11.7; singles use the unboxed value and the
 * result is NaN-boxed) and FCLASS (spec 11.9).
 */
import { unboxedBits, writeBoxed } from './bits.ts';
import { FClass } from './constants.ts';

/** funct3 of FSGNJ*. */
export const enum SgnjOp {
  J = 0,
  JN = 1,
  JX = 2,
}

const SIGN = 0x80000000 | 0;

function injectSign(magnitudeWord: number, signWord: number, op: number): number {
  let s = signWord & SIGN;
  if (op === SgnjOp.JN) s ^= SIGN;
  else if (op === SgnjOp.JX) s ^= magnitudeWord & SIGN;
  return (magnitudeWord & ~SIGN) | s;
}

/** Returns false for a reserved funct3. */
export function sgnjS(f: Int32Array, rd: number, rs1: number, rs2: number, op: number): boolean {
  if (op > SgnjOp.JX) return false;
  writeBoxed(f, rd, injectSign(unboxedBits(f, rs1), unboxedBits(f, rs2), op));
  return true;
}

export function sgnjD(f: Int32Array, rd: number, rs1: number, rs2: number, op: number): boolean {
  if (op > SgnjOp.JX) return false;
  const hi = injectSign(f[2 * rs1 + 1], f[2 * rs2 + 1], op);
  f[2 * rd] = f[2 * rs1];
  f[2 * rd + 1] = hi;
  return true;
}

function classify(negative: boolean, expAllOnes: boolean, expZero: boolean, fracZero: boolean, quiet: boolean): number {
  if (expAllOnes) {
    if (!fracZero) return quiet ? FClass.QUIET_NAN : FClass.SIGNALING_NAN;
    return negative ? FClass.NEG_INF : FClass.POS_INF;
  }
  if (expZero) {
    if (fracZero) return negative ? FClass.NEG_ZERO : FClass.POS_ZERO;
    return negative ? FClass.NEG_SUBNORMAL : FClass.POS_SUBNORMAL;
  }
  return negative ? FClass.NEG_NORMAL : FClass.POS_NORMAL;
}

export function fclassS(bits: number): number {
  const e = bits & 0x7f800000;
  return classify(bits < 0, e === 0x7f800000, e === 0, (bits & 0x007fffff) === 0, (bits & 0x00400000) !== 0);
}

export function fclassD(hi: number, lo: number): number {
  const e = hi & 0x7ff00000;
  return classify(hi < 0, e === 0x7ff00000, e === 0, ((hi & 0x000fffff) | lo) === 0, (hi & 0x00080000) !== 0);
}
