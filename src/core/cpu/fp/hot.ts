/**
 * The hottest double-precision instructions in compiled code (FADD.D, FSUB.D, FMUL.D) in
 * round-to-nearest-even with normal operands and results: a small function the interpreter can
 * inline, in front of execFp. It decides NX exactly with the same error-free transformations as
 * fast-double.ts (TwoSum, Dekker's TwoProduct) and answers HOT_MISS for everything else, which
 * then goes through execFp unchanged.
 */
import { Flag } from './constants.ts';

export const HOT_MISS = -2;

/** Normal results whose neighbours are finite: no overflow, underflow or subnormal cases. */
const RESULT_MIN = 2 ** -1020;
const RESULT_MAX = 2 ** 1020;
const PRODUCT_MIN = 2 ** -960;
const SPLIT_MAX = 2 ** 995;
const SPLITTER = 134217729; // 2^27 + 1

/** insn[31:25] = funct5 << 2 | fmt, for fmt D. */
const enum Top {
  FADD_D = 0x01,
  FSUB_D = 0x05,
  FMUL_D = 0x09,
}

const RM_RNE = 0;
const RM_DYN = 7;

export function hotFpD(fd: Float64Array, insn: number, frm: number): number {
  const rm = (insn >>> 12) & 7;
  if (rm !== RM_RNE && (rm !== RM_DYN || frm !== RM_RNE)) return HOT_MISS;
  const top = insn >>> 25;
  const a = fd[(insn >>> 15) & 31]!;
  const b = fd[(insn >>> 20) & 31]!;
  let z: number;
  let err: number;
  if (top === Top.FADD_D || top === Top.FSUB_D) {
    const c = top === Top.FADD_D ? b : -b;
    z = a + c;
    const bb = z - a;
    err = a - (z - bb) + (c - bb);
  } else if (top === Top.FMUL_D) {
    z = a * b;
    if (!(Math.abs(a) <= SPLIT_MAX && Math.abs(b) <= SPLIT_MAX && Math.abs(z) >= PRODUCT_MIN)) return HOT_MISS;
    let t = SPLITTER * a;
    const ah = t - (t - a);
    const al = a - ah;
    t = SPLITTER * b;
    const bh = t - (t - b);
    const bl = b - bh;
    err = ah * bh - z + ah * bl + al * bh + al * bl;
  } else {
    return HOT_MISS;
  }
  const az = Math.abs(z);
  if (!(az >= RESULT_MIN && az <= RESULT_MAX)) return HOT_MISS;
  fd[(insn >>> 7) & 31] = z;
  return err === 0 ? 0 : Flag.NX;
}
