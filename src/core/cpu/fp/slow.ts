/**
 * Register-level wrappers around the exact path: read operand bits (unboxing singles), run the
 * BigInt operation, write the result (NaN-boxing singles) and return the flags.
 */
import { big32, big64, unboxedBits, writeBig64, writeBoxed } from './bits.ts';
import { Funct5 } from './constants.ts';
import { exactAdd, exactDiv, exactFma, exactMul, exactSqrt } from './exact-ops.ts';
import { BINARY32, BINARY64, exactFlags } from './exact-round.ts';

function exactBinary(op: number, a: bigint, b: bigint, isDouble: boolean, rm: number): bigint {
  const fmt = isDouble ? BINARY64 : BINARY32;
  switch (op) {
    case Funct5.FADD:
      return exactAdd(a, b, false, fmt, rm);
    case Funct5.FSUB:
      return exactAdd(a, b, true, fmt, rm);
    case Funct5.FMUL:
      return exactMul(a, b, fmt, rm);
    case Funct5.FDIV:
      return exactDiv(a, b, fmt, rm);
    default:
      return exactSqrt(a, fmt, rm);
  }
}

function operand(f: Int32Array, r: number, isDouble: boolean): bigint {
  return isDouble ? big64(f[2 * r + 1], f[2 * r]) : big32(unboxedBits(f, r));
}

function store(f: Int32Array, rd: number, v: bigint, isDouble: boolean): void {
  if (isDouble) writeBig64(f, rd, v);
  else writeBoxed(f, rd, Number(v) | 0);
}

/** FADD/FSUB/FMUL/FDIV/FSQRT (rs2 ignored for FSQRT) on the exact path. */
export function slowArith(
  op: number, f: Int32Array, rd: number, rs1: number, rs2: number, isDouble: boolean, rm: number,
): number {
  exactFlags.value = 0;
  const a = operand(f, rs1, isDouble);
  const b = operand(f, rs2, isDouble);
  store(f, rd, exactBinary(op, a, b, isDouble, rm), isDouble);
  return exactFlags.value;
}

/** The R4 fused multiply-adds on the exact path. */
export function slowFma(
  f: Int32Array, rd: number, rs1: number, rs2: number, rs3: number,
  negateProduct: boolean, negateAddend: boolean, isDouble: boolean, rm: number,
): number {
  exactFlags.value = 0;
  const a = operand(f, rs1, isDouble);
  const b = operand(f, rs2, isDouble);
  const c = operand(f, rs3, isDouble);
  const r = exactFma(a, b, c, negateProduct, negateAddend, isDouble ? BINARY64 : BINARY32, rm);
  store(f, rd, r, isDouble);
  return exactFlags.value;
}
