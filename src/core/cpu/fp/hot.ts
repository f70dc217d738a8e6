/**
 * The hottest double-precision instructions in compiled code (FADD.D, FSUB.D, FMUL.D, FDIV.D,
 * FSQRT.D) in round-to-nearest-even with results in the normal range: a small function the
 * interpreter can inline, in front of execFp. Host arithmetic is IEEE 754 binary64 with RNE,
 * so the result is the host's; the only flag such an operation can raise is NX.
 *
 * fflags is sticky (unprivileged spec 13.2): once NX is set, whether this operation is inexact
 * changes nothing a program can observe, so the error-free transformations that decide NX
 * (TwoSum, Dekker's TwoProduct, the remainders of fast-double.ts) run only while NX is clear.
 * Everything else answers HOT_MISS and goes through execFp unchanged.
 */
import { Flag } from './constants.ts';
import { productError } from './fast-double.ts';

export const HOT_MISS = -2;

/** Normal results whose neighbours are finite: no overflow, underflow or subnormal cases. */
const RESULT_MIN = 2 ** -1020;
const RESULT_MAX = 2 ** 1020;
/** Above this, TwoProduct's error term is exactly representable. */
const PRODUCT_MIN = 2 ** -960;
/** Veltkamp splitting multiplies by 2^27 + 1; operands up to this never overflow. */
const SPLIT_MAX = 2 ** 995;

/** insn[31:25] = funct5 << 2 | fmt, for fmt D. */
const enum Top {
  FADD_D = 0x01,
  FSUB_D = 0x05,
  FMUL_D = 0x09,
  FDIV_D = 0x0d,
  FSQRT_D = 0x2d,
}

const RM_RNE = 0;
const RM_DYN = 7;

/**
 * Runs `insn` (an OP-FP instruction) if it is one of the hot cases. Returns the flags to OR into
 * fflags (0 or NX), or HOT_MISS without touching anything. `fflags` is the current value.
 */
export function hotFpD(fd: Float64Array, insn: number, frm: number, fflags: number): number {
  const rm = (insn >>> 12) & 7;
  if (rm !== RM_RNE && (rm !== RM_DYN || frm !== RM_RNE)) return HOT_MISS;
  const top = insn >>> 25;
  const a = fd[(insn >>> 15) & 31]!;
  const b = fd[(insn >>> 20) & 31]!;
  const exact = (fflags & Flag.NX) === 0;
  let z: number;
  let err = 0;
  switch (top) {
    case Top.FADD_D:
    case Top.FSUB_D: {
      const c = top === Top.FADD_D ? b : -b;
      z = a + c;
      if (exact) {
        const bb = z - a;
        err = a - (z - bb) + (c - bb);
      }
      break;
    }
    case Top.FMUL_D:
      z = a * b;
      if (exact) {
        if (!(Math.abs(a) <= SPLIT_MAX && Math.abs(b) <= SPLIT_MAX && Math.abs(z) >= PRODUCT_MIN)) return HOT_MISS;
        err = productError(a, b, z);
      }
      break;
    case Top.FDIV_D:
      z = a / b;
      if (exact) {
        const aq = Math.abs(z);
        const aa = Math.abs(a);
        const ab = Math.abs(b);
        if (!(aq >= PRODUCT_MIN && aq <= SPLIT_MAX && aa >= PRODUCT_MIN && aa <= RESULT_MAX && ab >= PRODUCT_MIN && ab <= SPLIT_MAX)) {
          return HOT_MISS;
        }
        const p = z * b;
        err = a - p - productError(z, b, p); // exact: the remainder of a correctly rounded quotient
      }
      break;
    case Top.FSQRT_D:
      if ((insn & 0x1f00000) !== 0) return HOT_MISS; // rs2 must be 0
      if (!(a >= RESULT_MIN && a <= RESULT_MAX)) return HOT_MISS; // also negative, zero, NaN
      z = Math.sqrt(a);
      if (exact) {
        // z·z is about a: below PRODUCT_MIN its TwoProduct error term is not representable.
        if (!(a >= PRODUCT_MIN)) return HOT_MISS;
        const p = z * z;
        err = a - p - productError(z, z, p);
      }
      break;
    default:
      return HOT_MISS;
  }
  // A result in the normal range with finite, non-zero neighbours: no NV, DZ, OF or UF (a NaN,
  // an infinity or a zero fails the comparison).
  const az = Math.abs(z);
  if (!(az >= RESULT_MIN && az <= RESULT_MAX)) return HOT_MISS;
  fd[(insn >>> 7) & 31] = z;
  return err === 0 ? 0 : Flag.NX;
}
