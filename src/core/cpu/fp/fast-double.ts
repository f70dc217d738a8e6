/**
 * Fast paths for double add/sub/mul/div/sqrt/fma using host (round-to-nearest-even) arithmetic
 * and error-free transformations:
 *   TwoSum (Knuth)            a + b = s + e exactly
 *   TwoProduct (Dekker/Veltkamp) a × b = p + e exactly (no FMA in JS)
 *   remainders                a - q·b and a - r² are exactly representable for correctly
 *                             rounded q = a/b and r = √a
 *   FMA emulation via round-to-odd (Boldo & Melquiond, IEEE TC 2008)
 * Each path computes the RNE result z and the sign of (exact - z), which decides NX and the
 * one-ulp nudge for the directed modes. Anything outside a safe exponent window (specials,
 * zeros, subnormal or near-overflow results, possible spurious over/underflow in the EFTs) and
 * RMM ties return SLOW: the caller then runs the exact path.
 * Each function writes fd[rd] only on success and returns the flags.
 */
import { nextDouble, isEvenDouble } from './bits.ts';
import { Flag, RoundingMode } from './constants.ts';

/** Returned when the fast path cannot decide; the caller must use the exact path. */
export const SLOW = -2;

/** Results in [2^-1020, 2^1020] are normal, never tiny, and their neighbours are finite. */
const RESULT_MIN = 2 ** -1020;
const RESULT_MAX = 2 ** 1020;
/** Products/quotients above this keep TwoProduct's error term exactly representable. */
const PRODUCT_MIN = 2 ** -960;
/** Veltkamp splitting multiplies by 2^27 + 1; operands up to this never overflow. */
const SPLIT_MAX = 2 ** 995;
const SPLITTER = 134217729; // 2^27 + 1

/** The exact error a × b - p of the rounded product p = a × b (Dekker's TwoProduct). */
export function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * Stores the result given the RNE value z (inside the safe window) and a number whose sign is
 * the sign of (exact - z).
 */
function finish(fd: Float64Array, rd: number, z: number, residual: number, rm: number): number {
  if (residual === 0) {
    fd[rd] = z;
    return 0;
  }
  switch (rm) {
    case RoundingMode.RNE:
      break;
    case RoundingMode.RTZ:
      if (residual > 0 !== z > 0) z = nextDouble(z, residual);
      break;
    case RoundingMode.RDN:
      if (residual < 0) z = nextDouble(z, -1);
      break;
    case RoundingMode.RUP:
      if (residual > 0) z = nextDouble(z, 1);
      break;
    default:
      return SLOW; // RMM: would need to know whether z sits exactly on a tie
  }
  fd[rd] = z;
  return Flag.NX;
}

export function addD(fd: Float64Array, rd: number, a: number, b: number, rm: number): number {
  const z = a + b;
  const az = Math.abs(z);
  if (!(az >= RESULT_MIN && az <= RESULT_MAX)) {
    // An exact zero sum: the host's sign rule (+0 unless both are -0) is right for every
    // mode but RDN (IEEE 754 6.3).
    if (z === 0 && rm !== RoundingMode.RDN) {
      fd[rd] = z;
      return 0;
    }
    return SLOW;
  }
  const bb = z - a;
  return finish(fd, rd, z, a - (z - bb) + (b - bb), rm);
}

export function mulD(fd: Float64Array, rd: number, a: number, b: number, rm: number): number {
  const z = a * b;
  const az = Math.abs(z);
  if (!(az >= PRODUCT_MIN && az <= RESULT_MAX && Math.abs(a) <= SPLIT_MAX && Math.abs(b) <= SPLIT_MAX)) {
    // A zero operand times a finite one is an exact, correctly signed zero in every mode
    // (zeros are common in real programs: they must not take the exact path).
    if (z === 0 && (a === 0 || b === 0)) {
      fd[rd] = z;
      return 0;
    }
    return SLOW;
  }
  return finish(fd, rd, z, productError(a, b, z), rm);
}

export function divD(fd: Float64Array, rd: number, a: number, b: number, rm: number): number {
  const q = a / b;
  const aq = Math.abs(q);
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (!(aq >= PRODUCT_MIN && aq <= SPLIT_MAX && aa >= PRODUCT_MIN && aa <= RESULT_MAX && ab >= PRODUCT_MIN && ab <= SPLIT_MAX)) {
    return SLOW;
  }
  const p = q * b;
  const rem = a - p - productError(q, b, p); // exact: a - p by Sterbenz, the remainder fits
  return finish(fd, rd, q, b > 0 ? rem : -rem, rm);
}

export function sqrtD(fd: Float64Array, rd: number, a: number, rm: number): number {
  if (!(a >= PRODUCT_MIN && a <= RESULT_MAX)) return SLOW;
  const r = Math.sqrt(a);
  const p = r * r;
  return finish(fd, rd, r, a - p - productError(r, r, p), rm);
}

/** a × b + c with one rounding (the caller applies the FMSUB/FNMADD/FNMSUB negations). */
export function fmaD(fd: Float64Array, rd: number, a: number, b: number, c: number, rm: number): number {
  const ph = a * b;
  const ap = Math.abs(ph);
  if (!(ap >= PRODUCT_MIN && ap <= RESULT_MAX && Math.abs(a) <= SPLIT_MAX && Math.abs(b) <= SPLIT_MAX)) {
    // A zero product with finite operands leaves a non-zero addend unchanged, exactly.
    if ((a === 0 || b === 0) && Math.abs(a) < Infinity && Math.abs(b) < Infinity && c !== 0 && Math.abs(c) < Infinity) {
      fd[rd] = c;
      return 0;
    }
    return SLOW;
  }
  if (!(Math.abs(c) <= RESULT_MAX)) return SLOW;
  const pl = productError(a, b, ph);
  // th + tl = c + ph
  const th = c + ph;
  let bb = th - c;
  const tl = c - (th - bb) + (ph - bb);
  // s + e2 = tl + pl
  const s = tl + pl;
  bb = s - tl;
  const e2 = tl - (s - bb) + (pl - bb);
  let v = s;
  if (e2 !== 0) {
    // The residual-sign argument below needs exponent(v) <= exponent(th).
    if (!(Math.abs(s) < Math.abs(th))) return SLOW;
    if (isEvenDouble(s)) v = nextDouble(s, e2); // v = round-to-odd(tl + pl)
  }
  const z = th + v;
  const az = Math.abs(z);
  if (!(az >= RESULT_MIN && az <= RESULT_MAX)) return SLOW;
  bb = z - th;
  const e1 = th - (z - bb) + (v - bb);
  // exact - z = e1 + (tl + pl - v); |tl + pl - v| < ulp(v) <= |e1| whenever e1 != 0.
  return finish(fd, rd, z, e1 !== 0 ? e1 : s - v + e2, rm);
}
