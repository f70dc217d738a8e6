/**
 * The exact (slow) path's number model: IEEE 754 binary formats as BigInt bit patterns,
 * unpacked to sign × significand × 2^exponent, and one correctly rounding pack routine.
 *
 * Used when the fast paths cannot decide a result or its flags (specials, subnormals,
 * overflow, directed rounding ties, ...). BigInt is fine here: this is not the common path.
 */
import { Flag, RoundingMode } from './constants.ts';

/** A binary interchange format: precision p (with hidden bit), exponent range, widths. */
export interface Format {
  readonly p: number;
  readonly emin: number;
  readonly emax: number;
  readonly bits: number;
  readonly bias: number;
  /** Bit pattern of the canonical NaN. */
  readonly nan: bigint;
}

export const BINARY32: Format = { p: 24, emin: -126, emax: 127, bits: 32, bias: 127, nan: 0x7fc00000n };
export const BINARY64: Format = {
  p: 53, emin: -1022, emax: 1023, bits: 64, bias: 1023, nan: 0x7ff8000000000000n,
};

export const enum Kind {
  ZERO,
  FINITE,
  INF,
  QNAN,
  SNAN,
}

/** value = (-1)^sign × sig × 2^exp for FINITE; sig = 0 for ZERO. */
export interface Unpacked {
  kind: Kind;
  sign: number;
  sig: bigint;
  exp: number;
}

export function unpack(bits: bigint, f: Format): Unpacked {
  const fracBits = f.p - 1;
  const expField = Number((bits >> BigInt(fracBits)) & BigInt((1 << (f.bits - f.p)) - 1));
  const frac = bits & ((1n << BigInt(fracBits)) - 1n);
  const sign = Number(bits >> BigInt(f.bits - 1)) & 1;
  const maxField = 2 * f.bias + 1;
  if (expField === maxField) {
    if (frac === 0n) return { kind: Kind.INF, sign, sig: 0n, exp: 0 };
    const quiet = (frac >> BigInt(fracBits - 1)) & 1n;
    return { kind: quiet ? Kind.QNAN : Kind.SNAN, sign, sig: 0n, exp: 0 };
  }
  if (expField === 0) {
    if (frac === 0n) return { kind: Kind.ZERO, sign, sig: 0n, exp: 0 };
    return { kind: Kind.FINITE, sign, sig: frac, exp: f.emin - fracBits };
  }
  return { kind: Kind.FINITE, sign, sig: frac | (1n << BigInt(fracBits)), exp: expField - f.bias - fracBits };
}

export function isNaNKind(k: Kind): boolean {
  return k === Kind.QNAN || k === Kind.SNAN;
}

export function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

export function signedZero(sign: number, f: Format): bigint {
  return sign ? 1n << BigInt(f.bits - 1) : 0n;
}

export function infinity(sign: number, f: Format): bigint {
  return signedZero(sign, f) | (BigInt(2 * f.bias + 1) << BigInt(f.p - 1));
}

function maxFinite(sign: number, f: Format): bigint {
  return infinity(sign, f) - 1n;
}

/** Flags raised by the last exact-path operation. */
export const exactFlags = { value: 0 };

/**
 * Whether rounding the magnitude kept + fraction (fraction given as remainder `rem` of `half*2`
 * plus a sticky bit below it) away from zero is required by rm.
 */
function roundsUp(sign: number, kept: bigint, rem: bigint, half: bigint, sticky: boolean, rm: number): boolean {
  const inexact = rem !== 0n || sticky;
  if (!inexact) return false;
  switch (rm) {
    case RoundingMode.RNE:
      return rem > half || (rem === half && (sticky || (kept & 1n) === 1n));
    case RoundingMode.RTZ:
      return false;
    case RoundingMode.RDN:
      return sign === 1;
    case RoundingMode.RUP:
      return sign === 0;
    default: // RMM
      return rem >= half;
  }
}

/**
 * Rounds sig × 2^exp (+ a positive amount below 2^exp when sticky) to an integer multiple of
 * 2^q and returns the multiple; lastRoundingInexact() tells whether it was inexact.
 */
let lastInexact = false;
export function roundToMultiple(sign: number, sig: bigint, exp: number, sticky: boolean, q: number, rm: number): bigint {
  const shift = q - exp;
  if (shift <= 0) {
    const kept = sig << BigInt(-shift);
    lastInexact = sticky;
    if (!sticky) return kept;
    // The sticky amount is below 2^exp; it is below half of 2^q only when exp < q.
    if (shift === 0) throw new Error('roundToMultiple: sticky without guard bits');
    return roundsUp(sign, kept, 1n, 2n, false, rm) ? kept + 1n : kept;
  }
  const s = BigInt(shift);
  const kept = sig >> s;
  const rem = sig & ((1n << s) - 1n);
  lastInexact = rem !== 0n || sticky;
  return roundsUp(sign, kept, rem, 1n << (s - 1n), sticky, rm) ? kept + 1n : kept;
}
export function lastRoundingInexact(): boolean {
  return lastInexact;
}

/**
 * Rounds (-1)^sign × (sig × 2^exp + sticky) to format f with rounding mode rm and returns the
 * bit pattern; ORs NX/UF/OF into exactFlags.value. Tininess is detected after rounding
 * (RISC-V follows IEEE 754-2008's "after rounding" option). sig must be > 0; when sticky is
 * set, sig must carry at least two bits below the format's precision.
 */
export function roundPack(sign: number, sig: bigint, exp: number, sticky: boolean, f: Format, rm: number): bigint {
  const n = bitLength(sig);
  const e = exp + n - 1; // 2^e <= |value| < 2^(e+1)
  const qMin = f.emin - f.p + 1;
  let tiny = false;
  if (e < f.emin - 1) {
    tiny = true;
  } else if (e === f.emin - 1) {
    // Round with unbounded exponent range: tiny unless it carries up to 2^emin.
    const k = roundToMultiple(sign, sig, exp, sticky, e - f.p + 1, rm);
    tiny = k < 1n << BigInt(f.p);
  }
  let q = Math.max(e - f.p + 1, qMin);
  let kept = roundToMultiple(sign, sig, exp, sticky, q, rm);
  const inexact = lastInexact;
  if (kept === 1n << BigInt(f.p)) {
    kept >>= 1n;
    q += 1;
  }
  let flags = inexact ? Flag.NX : 0;
  if (tiny && inexact) flags |= Flag.UF;
  const hidden = 1n << BigInt(f.p - 1);
  if (kept >= hidden && q + f.p - 1 > f.emax) {
    exactFlags.value |= Flag.OF | Flag.NX;
    const toInf =
      rm === RoundingMode.RNE || rm === RoundingMode.RMM ||
      (rm === RoundingMode.RUP && sign === 0) || (rm === RoundingMode.RDN && sign === 1);
    return toInf ? infinity(sign, f) : maxFinite(sign, f);
  }
  exactFlags.value |= flags;
  const signBits = signedZero(sign, f);
  if (kept < hidden) return signBits | kept; // subnormal (or zero after rounding)
  const biased = BigInt(q + f.p - 1 + f.bias);
  return signBits | (biased << BigInt(f.p - 1)) | (kept - hidden);
}
