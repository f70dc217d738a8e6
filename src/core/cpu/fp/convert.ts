/**
 * FCVT between floats and integers, and between single and double (spec 11.7, 12.5).
 * Float → integer rounds with rm, then saturates per the spec's table (NaN → maximum), raising
 * NV instead of NX when out of range; 32-bit results are sign-extended to 64 bits.
 * Integer → float and FCVT.S.D round with rm; FCVT.D.S is exact.
 */
import {
  big64, isSignalingD, isSignalingS, unboxedBits, unboxedValue, writeBig64, writeBoxed,
} from './bits.ts';
import {
  CANONICAL_NAN_D_HI, CANONICAL_NAN_D_LO, CANONICAL_NAN_S, Flag, IntType, RoundingMode,
} from './constants.ts';
import { exactConvertFloat, exactFromInt } from './exact-ops.ts';
import { BINARY32, BINARY64, exactFlags } from './exact-round.ts';
import { SLOW } from './fast-double.ts';
import { toSingle } from './fast-single.ts';

const TWO_32 = 4294967296;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
/** Integers whose high word lies in [-2^21, 2^21) are below 2^53 in magnitude: exact doubles. */
const EXACT_HI = 1 << 21;

/** Rounds v (not NaN) to an integer with rm, in double arithmetic (exact). */
function roundToInteger(v: number, rm: number): number {
  switch (rm) {
    case RoundingMode.RTZ:
      return Math.trunc(v);
    case RoundingMode.RDN:
      return Math.floor(v);
    case RoundingMode.RUP:
      return Math.ceil(v);
    default: {
      const t = Math.trunc(v);
      const d = Math.abs(v - t); // exact
      const away = d > 0.5 || (d === 0.5 && (rm === RoundingMode.RMM || t % 2 !== 0));
      return away ? t + Math.sign(v) : t;
    }
  }
}

function writeX(x: Int32Array, rd: number, hi: number, lo: number): void {
  if (rd === 0) return;
  x[2 * rd] = lo;
  x[2 * rd + 1] = hi;
}

/** FCVT.{W,WU,L,LU}.{S,D} of the value v (a NaN for any NaN input). Returns flags. */
export function floatToInt(x: Int32Array, rd: number, v: number, type: number, rm: number): number {
  let r = NaN;
  if (v === v) r = roundToInteger(v, rm);
  switch (type) {
    case IntType.W:
      if (r >= -2147483648 && r <= 2147483647) {
        writeX(x, rd, r < 0 ? -1 : 0, r | 0);
        return r === v ? 0 : Flag.NX;
      }
      if (r < 0) writeX(x, rd, -1, 0x80000000 | 0);
      else writeX(x, rd, 0, 0x7fffffff);
      return Flag.NV;
    case IntType.WU:
      if (r >= 0 && r <= 4294967295) {
        const lo = r | 0;
        writeX(x, rd, lo >> 31, lo);
        return r === v ? 0 : Flag.NX;
      }
      if (r < 0) writeX(x, rd, 0, 0);
      else writeX(x, rd, -1, -1);
      return Flag.NV;
    case IntType.L:
      if (r >= -TWO_63 && r < TWO_63) {
        const hi = Math.floor(r / TWO_32);
        writeX(x, rd, hi | 0, (r - hi * TWO_32) | 0);
        return r === v ? 0 : Flag.NX;
      }
      if (r < 0) writeX(x, rd, 0x80000000 | 0, 0);
      else writeX(x, rd, 0x7fffffff, -1);
      return Flag.NV;
    default: // LU
      if (r >= 0 && r < TWO_64) {
        const hi = Math.floor(r / TWO_32);
        writeX(x, rd, hi | 0, (r - hi * TWO_32) | 0);
        return r === v ? 0 : Flag.NX;
      }
      if (r < 0) writeX(x, rd, 0, 0);
      else writeX(x, rd, -1, -1);
      return Flag.NV;
  }
}

/** The integer operand of FCVT.{S,D}.{W,WU,L,LU} as a double, or NaN when it is not exact. */
function intOperand(x: Int32Array, rs1: number, type: number): number {
  const lo = x[2 * rs1];
  const hi = x[2 * rs1 + 1];
  switch (type) {
    case IntType.W:
      return lo;
    case IntType.WU:
      return lo >>> 0;
    case IntType.L:
      return hi >= -EXACT_HI && hi < EXACT_HI ? hi * TWO_32 + (lo >>> 0) : NaN;
    default:
      return hi >>> 0 < EXACT_HI ? (hi >>> 0) * TWO_32 + (lo >>> 0) : NaN;
  }
}

function intOperandBig(x: Int32Array, rs1: number, type: number): bigint {
  const lo = x[2 * rs1];
  const hi = x[2 * rs1 + 1];
  switch (type) {
    case IntType.W:
      return BigInt(lo);
    case IntType.WU:
      return BigInt(lo >>> 0);
    case IntType.L:
      return BigInt.asIntN(64, big64(hi, lo));
    default:
      return big64(hi, lo);
  }
}

/** FCVT.S.{W,WU,L,LU} (isDouble false) and FCVT.D.{W,WU,L,LU}. */
export function intToFloat(
  x: Int32Array, f: Int32Array, fd: Float64Array, fs: Float32Array,
  rd: number, rs1: number, type: number, isDouble: boolean, rm: number,
): number {
  const v = intOperand(x, rs1, type);
  if (v === v) {
    if (isDouble) {
      fd[rd] = v;
      return 0;
    }
    if (v === 0) {
      writeBoxed(f, rd, 0);
      return 0;
    }
    const flags = toSingle(f, fs, rd, v, rm);
    if (flags !== SLOW) return flags;
  }
  exactFlags.value = 0;
  const value = intOperandBig(x, rs1, type);
  if (isDouble) writeBig64(f, rd, exactFromInt(value, BINARY64, rm));
  else writeBoxed(f, rd, Number(exactFromInt(value, BINARY32, rm)) | 0);
  return exactFlags.value;
}

/** FCVT.S.D */
export function doubleToSingle(f: Int32Array, fs: Float32Array, fd: Float64Array, rd: number, rs1: number, rm: number): number {
  const hi = f[2 * rs1 + 1];
  const lo = f[2 * rs1];
  const v = fd[rs1];
  if (v !== v) {
    writeBoxed(f, rd, CANONICAL_NAN_S);
    return isSignalingD(hi, lo) ? Flag.NV : 0;
  }
  const flags = toSingle(f, fs, rd, v, rm);
  if (flags !== SLOW) return flags;
  exactFlags.value = 0;
  writeBoxed(f, rd, Number(exactConvertFloat(big64(hi, lo), BINARY64, BINARY32, rm)) | 0);
  return exactFlags.value;
}

/** FCVT.D.S (exact; NaNs become the canonical NaN, sNaN raises NV). */
export function singleToDouble(f: Int32Array, fs: Float32Array, fd: Float64Array, rd: number, rs1: number): number {
  const v = unboxedValue(f, fs, rs1);
  if (v !== v) {
    const signaling = isSignalingS(unboxedBits(f, rs1));
    f[2 * rd] = CANONICAL_NAN_D_LO;
    f[2 * rd + 1] = CANONICAL_NAN_D_HI;
    return signaling ? Flag.NV : 0;
  }
  fd[rd] = v;
  return 0;
}
