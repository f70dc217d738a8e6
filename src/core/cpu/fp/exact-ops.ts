/**
 * Exact, BigInt-based implementations of every rounding F/D operation. Each takes and returns
 * bit patterns and ORs the raised flags into exactFlags.value (the caller clears it first).
 * Specials follow IEEE 754-2008 and the RISC-V F chapter (canonical NaN results; FMA raises NV
 * for ∞ × 0 even when the addend is a quiet NaN).
 */
import { Flag, IntType, RoundingMode } from './constants.ts';
import {
  type Format, type Unpacked, Kind, bitLength, exactFlags, infinity, isNaNKind, lastRoundingInexact,
  roundPack, roundToMultiple, signedZero, unpack,
} from './exact-round.ts';

/** Canonical NaN, raising NV if any operand is signaling. */
function nanOf(f: Format, ...ops: Unpacked[]): bigint {
  for (const o of ops) if (o.kind === Kind.SNAN) exactFlags.value |= Flag.NV;
  return f.nan;
}

function invalid(f: Format): bigint {
  exactFlags.value |= Flag.NV;
  return f.nan;
}

/** Exact sum of two finite-or-zero signed values, rounded once. */
function addFinite(
  sa: number, siga: bigint, ea: number, sb: number, sigb: bigint, eb: number, f: Format, rm: number,
): bigint {
  const e = Math.min(siga === 0n ? eb : ea, sigb === 0n ? ea : eb);
  const a = siga << BigInt(ea - e);
  const b = sigb << BigInt(eb - e);
  const sum = (sa ? -a : a) + (sb ? -b : b);
  if (sum === 0n) {
    // IEEE 754 6.3: an exact zero sum of opposite-signed operands is +0, except -0 under RDN.
    if (siga === 0n && sigb === 0n && sa === sb) return signedZero(sa, f);
    return signedZero(rm === RoundingMode.RDN ? 1 : 0, f);
  }
  return sum < 0n ? roundPack(1, -sum, e, false, f, rm) : roundPack(0, sum, e, false, f, rm);
}

export function exactAdd(abits: bigint, bbits: bigint, negateB: boolean, f: Format, rm: number): bigint {
  const a = unpack(abits, f);
  const b = unpack(bbits, f);
  if (isNaNKind(a.kind) || isNaNKind(b.kind)) return nanOf(f, a, b);
  const sb = b.sign ^ (negateB ? 1 : 0);
  if (a.kind === Kind.INF || b.kind === Kind.INF) {
    if (a.kind === Kind.INF && b.kind === Kind.INF && a.sign !== sb) return invalid(f);
    return infinity(a.kind === Kind.INF ? a.sign : sb, f);
  }
  return addFinite(a.sign, a.sig, a.exp, sb, b.sig, b.exp, f, rm);
}

export function exactMul(abits: bigint, bbits: bigint, f: Format, rm: number): bigint {
  const a = unpack(abits, f);
  const b = unpack(bbits, f);
  if (isNaNKind(a.kind) || isNaNKind(b.kind)) return nanOf(f, a, b);
  const sign = a.sign ^ b.sign;
  if (a.kind === Kind.INF || b.kind === Kind.INF) {
    if (a.kind === Kind.ZERO || b.kind === Kind.ZERO) return invalid(f);
    return infinity(sign, f);
  }
  if (a.kind === Kind.ZERO || b.kind === Kind.ZERO) return signedZero(sign, f);
  return roundPack(sign, a.sig * b.sig, a.exp + b.exp, false, f, rm);
}

/** (-1)^negateProduct × a × b + (-1)^negateAddend × c with a single rounding. */
export function exactFma(
  abits: bigint, bbits: bigint, cbits: bigint, negateProduct: boolean, negateAddend: boolean, f: Format, rm: number,
): bigint {
  const a = unpack(abits, f);
  const b = unpack(bbits, f);
  const c = unpack(cbits, f);
  const infTimesZero =
    (a.kind === Kind.INF && b.kind === Kind.ZERO) || (a.kind === Kind.ZERO && b.kind === Kind.INF);
  if (infTimesZero) exactFlags.value |= Flag.NV;
  if (isNaNKind(a.kind) || isNaNKind(b.kind) || isNaNKind(c.kind)) return nanOf(f, a, b, c);
  if (infTimesZero) return f.nan;
  const sp = a.sign ^ b.sign ^ (negateProduct ? 1 : 0);
  const sc = c.sign ^ (negateAddend ? 1 : 0);
  const productInf = a.kind === Kind.INF || b.kind === Kind.INF;
  if (productInf || c.kind === Kind.INF) {
    if (productInf && c.kind === Kind.INF && sp !== sc) return invalid(f);
    return infinity(productInf ? sp : sc, f);
  }
  return addFinite(sp, a.sig * b.sig, a.exp + b.exp, sc, c.sig, c.exp, f, rm);
}

export function exactDiv(abits: bigint, bbits: bigint, f: Format, rm: number): bigint {
  const a = unpack(abits, f);
  const b = unpack(bbits, f);
  if (isNaNKind(a.kind) || isNaNKind(b.kind)) return nanOf(f, a, b);
  const sign = a.sign ^ b.sign;
  if (a.kind === Kind.INF) return b.kind === Kind.INF ? invalid(f) : infinity(sign, f);
  if (b.kind === Kind.INF) return signedZero(sign, f);
  if (b.kind === Kind.ZERO) {
    if (a.kind === Kind.ZERO) return invalid(f);
    exactFlags.value |= Flag.DZ;
    return infinity(sign, f);
  }
  if (a.kind === Kind.ZERO) return signedZero(sign, f);
  // Enough quotient bits for p plus guard and round bits.
  const k = Math.max(0, f.p + 3 + bitLength(b.sig) - bitLength(a.sig));
  const num = a.sig << BigInt(k);
  const q = num / b.sig;
  const sticky = q * b.sig !== num;
  return roundPack(sign, q, a.exp - b.exp - k, sticky, f, rm);
}

export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function exactSqrt(abits: bigint, f: Format, rm: number): bigint {
  const a = unpack(abits, f);
  if (isNaNKind(a.kind)) return nanOf(f, a);
  if (a.kind === Kind.ZERO) return abits;
  if (a.sign) return invalid(f);
  if (a.kind === Kind.INF) return abits;
  let k = Math.max(0, 2 * (f.p + 3) - bitLength(a.sig));
  if ((a.exp - k) & 1) k += 1;
  const n = a.sig << BigInt(k);
  const r = isqrt(n);
  return roundPack(0, r, (a.exp - k) / 2, r * r !== n, f, rm);
}

/** FCVT.S.D / FCVT.D.S. */
export function exactConvertFloat(abits: bigint, from: Format, to: Format, rm: number): bigint {
  const a = unpack(abits, from);
  if (isNaNKind(a.kind)) return nanOf(to, a);
  if (a.kind === Kind.INF) return infinity(a.sign, to);
  if (a.kind === Kind.ZERO) return signedZero(a.sign, to);
  return roundPack(a.sign, a.sig, a.exp, false, to, rm);
}

/** FCVT.{S,D}.{W,WU,L,LU}: `value` is the mathematical integer. */
export function exactFromInt(value: bigint, f: Format, rm: number): bigint {
  if (value === 0n) return 0n;
  return value < 0n ? roundPack(1, -value, 0, false, f, rm) : roundPack(0, value, 0, false, f, rm);
}

const INT_MIN: readonly bigint[] = [-(1n << 31n), 0n, -(1n << 63n), 0n];
const INT_MAX: readonly bigint[] = [(1n << 31n) - 1n, (1n << 32n) - 1n, (1n << 63n) - 1n, (1n << 64n) - 1n];

/**
 * FCVT.{W,WU,L,LU}.{S,D}: returns the mathematical integer result (saturated per the spec's
 * "domains of float-to-integer conversions" table; NaN gives the maximum).
 */
export function exactToInt(abits: bigint, f: Format, type: IntType, rm: number): bigint {
  const a = unpack(abits, f);
  const lo = INT_MIN[type];
  const hi = INT_MAX[type];
  if (isNaNKind(a.kind)) {
    exactFlags.value |= Flag.NV;
    return hi;
  }
  if (a.kind === Kind.INF) {
    exactFlags.value |= Flag.NV;
    return a.sign ? lo : hi;
  }
  if (a.kind === Kind.ZERO) return 0n;
  const magnitude = roundToMultiple(a.sign, a.sig, a.exp, false, 0, rm);
  const inexact = lastRoundingInexact();
  const v = a.sign ? -magnitude : magnitude;
  if (v < lo || v > hi) {
    exactFlags.value |= Flag.NV;
    return v < lo ? lo : hi;
  }
  if (inexact) exactFlags.value |= Flag.NX;
  return v;
}
