/**
 * Fast paths for single add/sub/mul/div/sqrt/fma and conversions to single. Singles are exact
 * doubles, so the work is done in double precision:
 *  - products of singles are exact doubles;
 *  - sums (and FMA sums) are made round-to-odd in double with TwoSum, so that one final
 *    Math.fround is the correctly rounded single (53 >= 24 + 2, Boldo & Melquiond);
 *  - fround(a / b) and fround(√a) are correctly rounded (53 >= 2·24 + 2), and the remainders
 *    a - z·b and a - z² are exact doubles.
 * Then r - z (r the exact-or-round-to-odd double, z = fround(r)) has the sign of (exact - z),
 * because r is within one double unit of the exact value and r ≠ z is a non-zero multiple of
 * that unit. Results outside [2^-125, 2^126] and RMM ties go to the exact path (SLOW).
 */
import { isEvenDouble, nextDouble, nextSingle } from './bits.ts';
import { Flag, NAN_BOX_HI, RoundingMode } from './constants.ts';
import { SLOW } from './fast-double.ts';

const RESULT_MIN = 2 ** -125;
const RESULT_MAX = 2 ** 126;

/** Stores the single z (RNE result, already a float32 value) given the sign of (exact - z). */
export function finishSingle(
  f: Int32Array, fs: Float32Array, rd: number, z: number, residual: number, rm: number,
): number {
  const az = Math.abs(z);
  if (!(az >= RESULT_MIN && az <= RESULT_MAX)) return SLOW;
  let flags = 0;
  if (residual !== 0) {
    flags = Flag.NX;
    switch (rm) {
      case RoundingMode.RNE:
        break;
      case RoundingMode.RTZ:
        if (residual > 0 !== z > 0) z = nextSingle(z, residual);
        break;
      case RoundingMode.RDN:
        if (residual < 0) z = nextSingle(z, -1);
        break;
      case RoundingMode.RUP:
        if (residual > 0) z = nextSingle(z, 1);
        break;
      default:
        return SLOW;
    }
  }
  fs[2 * rd] = z;
  f[2 * rd + 1] = NAN_BOX_HI;
  return flags;
}

/** Rounds the exact double sum r + e (TwoSum pair) to single. */
function finishSum(f: Int32Array, fs: Float32Array, rd: number, r: number, e: number, rm: number): number {
  if (e !== 0 && isEvenDouble(r)) r = nextDouble(r, e);
  const z = Math.fround(r);
  return finishSingle(f, fs, rd, z, r - z, rm);
}

export function addS(f: Int32Array, fs: Float32Array, rd: number, a: number, b: number, rm: number): number {
  const r = a + b;
  if (!(Math.abs(r) <= RESULT_MAX)) return SLOW; // also rejects NaN and ∞ before TwoSum
  const bb = r - a;
  return finishSum(f, fs, rd, r, a - (r - bb) + (b - bb), rm);
}

export function mulS(f: Int32Array, fs: Float32Array, rd: number, a: number, b: number, rm: number): number {
  const r = a * b; // exact
  const z = Math.fround(r);
  return finishSingle(f, fs, rd, z, r - z, rm);
}

export function divS(f: Int32Array, fs: Float32Array, rd: number, a: number, b: number, rm: number): number {
  const z = Math.fround(a / b);
  const az = Math.abs(z);
  if (!(az >= RESULT_MIN && az <= RESULT_MAX)) return SLOW;
  const rem = a - z * b;
  return finishSingle(f, fs, rd, z, b > 0 ? rem : -rem, rm);
}

export function sqrtS(f: Int32Array, fs: Float32Array, rd: number, a: number, rm: number): number {
  if (!(a > 0)) return SLOW;
  const z = Math.fround(Math.sqrt(a));
  return finishSingle(f, fs, rd, z, a - z * z, rm);
}

export function fmaS(
  f: Int32Array, fs: Float32Array, rd: number, a: number, b: number, c: number, rm: number,
): number {
  const p = a * b; // exact
  const r = p + c;
  if (!(Math.abs(r) <= RESULT_MAX)) return SLOW;
  const bb = r - p;
  return finishSum(f, fs, rd, r, p - (r - bb) + (c - bb), rm);
}

/** Rounds a double value v to single (FCVT.S.D, and FCVT.S.{W,WU,L,LU} via an exact double). */
export function toSingle(f: Int32Array, fs: Float32Array, rd: number, v: number, rm: number): number {
  const z = Math.fround(v);
  return finishSingle(f, fs, rd, z, v - z, rm);
}
