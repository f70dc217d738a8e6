/**
 * An independent, deliberately simple reference for the F/D extensions: operands are decoded
 * to exact rationals (BigInt numerator / denominator), the exact result is computed, then
 * rounded by searching for the binade and dividing. Slow but obviously correct; written
 * separately from the implementation's exact path so the two do not share mistakes.
 */

export interface Fmt {
  p: number;
  emin: number;
  emax: number;
  width: number;
  nan: bigint;
}

export const F32: Fmt = { p: 24, emin: -126, emax: 127, width: 32, nan: 0x7fc00000n };
export const F64: Fmt = { p: 53, emin: -1022, emax: 1023, width: 64, nan: 0x7ff8000000000000n };

export const NV = 0x10;
export const DZ = 0x08;
export const OF = 0x04;
export const UF = 0x02;
export const NX = 0x01;

export type Val =
  | { t: 'nan'; signaling: boolean }
  | { t: 'inf'; neg: boolean }
  | { t: 'num'; neg: boolean; n: bigint; d: bigint }; // |value| = n / d, n >= 0 (n = 0 is a zero)

export interface Res {
  bits: bigint;
  flags: number;
}

const pow2 = (e: number): bigint => 1n << BigInt(e);

export function decode(bits: bigint, fmt: Fmt): Val {
  const fracW = fmt.p - 1;
  const expW = fmt.width - fmt.p;
  const neg = (bits >> BigInt(fmt.width - 1)) === 1n;
  const ex = Number((bits >> BigInt(fracW)) & (pow2(expW) - 1n));
  const frac = bits & (pow2(fracW) - 1n);
  if (ex === 2 ** expW - 1) {
    return frac === 0n ? { t: 'inf', neg } : { t: 'nan', signaling: (frac >> BigInt(fracW - 1)) === 0n };
  }
  const sig = ex === 0 ? frac : frac + pow2(fracW);
  const e = (ex === 0 ? fmt.emin : ex - (2 ** (expW - 1) - 1)) - fracW;
  return e >= 0 ? { t: 'num', neg, n: sig << BigInt(e), d: 1n } : { t: 'num', neg, n: sig, d: pow2(-e) };
}

function encode(neg: boolean, biasedExp: bigint, frac: bigint, fmt: Fmt): bigint {
  return ((neg ? 1n : 0n) << BigInt(fmt.width - 1)) | (biasedExp << BigInt(fmt.p - 1)) | frac;
}

const zero = (neg: boolean, fmt: Fmt): bigint => encode(neg, 0n, 0n, fmt);
const inf = (neg: boolean, fmt: Fmt): bigint => encode(neg, pow2(fmt.width - fmt.p) - 1n, 0n, fmt);
const maxFinite = (neg: boolean, fmt: Fmt): bigint => inf(neg, fmt) - 1n;

/** Is n/d >= 2^e ? */
function atLeastPow2(n: bigint, d: bigint, e: number): boolean {
  return e >= 0 ? n >= d << BigInt(e) : n << BigInt(-e) >= d;
}

/** Rounds n/d (> 0) to an integer with the mode; returns [integer, inexact]. */
function roundInt(n: bigint, d: bigint, neg: boolean, rm: number): [bigint, boolean] {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return [q, false];
  const twice = 2n * r;
  let up: boolean;
  switch (rm) {
    case 0: up = twice > d || (twice === d && q % 2n === 1n); break;
    case 1: up = false; break;
    case 2: up = neg; break;
    case 3: up = !neg; break;
    case 4: up = twice >= d; break;
    default: throw new Error('bad rm');
  }
  return [up ? q + 1n : q, true];
}

/** Scales n/d by 2^-q and rounds to an integer. */
function roundAtQuantum(n: bigint, d: bigint, q: number, neg: boolean, rm: number): [bigint, boolean] {
  return q <= 0 ? roundInt(n << BigInt(-q), d, neg, rm) : roundInt(n, d << BigInt(q), neg, rm);
}

/** Rounds the non-zero exact value (-1)^neg × n/d to the format. */
export function roundValue(neg: boolean, n: bigint, d: bigint, fmt: Fmt, rm: number): Res {
  // Binade: 2^E <= n/d < 2^(E+1).
  let E = n.toString(2).length - d.toString(2).length;
  while (!atLeastPow2(n, d, E)) E--;
  while (atLeastPow2(n, d, E + 1)) E++;
  // Tininess after rounding: round to p bits with an unbounded exponent range.
  const [mu] = roundAtQuantum(n, d, E - (fmt.p - 1), neg, rm);
  const tiny = (mu === pow2(fmt.p) ? E + 1 : E) < fmt.emin;
  // Actual rounding, subnormals have the fixed quantum emin - (p - 1).
  let q = Math.max(E, fmt.emin) - (fmt.p - 1);
  const rounded = roundAtQuantum(n, d, q, neg, rm);
  let m = rounded[0];
  const inexact = rounded[1];
  if (m === pow2(fmt.p)) {
    m = pow2(fmt.p - 1);
    q += 1;
  }
  let flags = inexact ? NX : 0;
  if (tiny && inexact) flags |= UF;
  if (m >= pow2(fmt.p - 1) && q + fmt.p - 1 > fmt.emax) {
    const toInf = rm === 0 || rm === 4 || (rm === 3 && !neg) || (rm === 2 && neg);
    return { bits: toInf ? inf(neg, fmt) : maxFinite(neg, fmt), flags: OF | NX };
  }
  if (m < pow2(fmt.p - 1)) return { bits: encode(neg, 0n, m, fmt), flags };
  const bias = 2 ** (fmt.width - fmt.p - 1) - 1;
  return { bits: encode(neg, BigInt(q + fmt.p - 1 + bias), m - pow2(fmt.p - 1), fmt), flags };
}

function nanResult(fmt: Fmt, ...vals: Val[]): Res {
  const sig = vals.some((v) => v.t === 'nan' && v.signaling);
  return { bits: fmt.nan, flags: sig ? NV : 0 };
}

const invalidRes = (fmt: Fmt): Res => ({ bits: fmt.nan, flags: NV });

/** Exact sum of signed rationals with IEEE zero-sign rules, rounded. */
function sumNums(an: boolean, a: { n: bigint; d: bigint }, bn: boolean, b: { n: bigint; d: bigint }, fmt: Fmt, rm: number): Res {
  const num = (an ? -a.n : a.n) * b.d + (bn ? -b.n : b.n) * a.d;
  const den = a.d * b.d;
  if (num === 0n) {
    if (a.n === 0n && b.n === 0n && an === bn) return { bits: zero(an, fmt), flags: 0 };
    return { bits: zero(rm === 2, fmt), flags: 0 };
  }
  return roundValue(num < 0n, num < 0n ? -num : num, den, fmt, rm);
}

export function refAdd(x: bigint, y: bigint, fmt: Fmt, rm: number, subtract = false): Res {
  const a = decode(x, fmt);
  const b = decode(y, fmt);
  if (a.t === 'nan' || b.t === 'nan') return nanResult(fmt, a, b);
  const bneg = b.neg !== subtract;
  if (a.t === 'inf' && b.t === 'inf') return a.neg === bneg ? { bits: inf(a.neg, fmt), flags: 0 } : invalidRes(fmt);
  if (a.t === 'inf') return { bits: inf(a.neg, fmt), flags: 0 };
  if (b.t === 'inf') return { bits: inf(bneg, fmt), flags: 0 };
  return sumNums(a.neg, a, bneg, b, fmt, rm);
}

export function refMul(x: bigint, y: bigint, fmt: Fmt, rm: number): Res {
  const a = decode(x, fmt);
  const b = decode(y, fmt);
  if (a.t === 'nan' || b.t === 'nan') return nanResult(fmt, a, b);
  const neg = a.neg !== b.neg;
  if (a.t === 'inf' || b.t === 'inf') {
    const other = a.t === 'inf' ? b : a;
    if (other.t === 'num' && other.n === 0n) return invalidRes(fmt);
    return { bits: inf(neg, fmt), flags: 0 };
  }
  if (a.n === 0n || b.n === 0n) return { bits: zero(neg, fmt), flags: 0 };
  return roundValue(neg, a.n * b.n, a.d * b.d, fmt, rm);
}

export function refDiv(x: bigint, y: bigint, fmt: Fmt, rm: number): Res {
  const a = decode(x, fmt);
  const b = decode(y, fmt);
  if (a.t === 'nan' || b.t === 'nan') return nanResult(fmt, a, b);
  const neg = a.neg !== b.neg;
  if (a.t === 'inf') return b.t === 'inf' ? invalidRes(fmt) : { bits: inf(neg, fmt), flags: 0 };
  if (b.t === 'inf') return { bits: zero(neg, fmt), flags: 0 };
  if (b.n === 0n) return a.n === 0n ? invalidRes(fmt) : { bits: inf(neg, fmt), flags: DZ };
  if (a.n === 0n) return { bits: zero(neg, fmt), flags: 0 };
  return roundValue(neg, a.n * b.d, a.d * b.n, fmt, rm);
}

function isqrtRef(n: bigint): bigint {
  // Bisection: simple and independent of the implementation's Newton iteration.
  let lo = 0n;
  let hi = 1n << BigInt(Math.ceil(n.toString(2).length / 2) + 1);
  while (hi - lo > 1n) {
    const mid = (lo + hi) >> 1n;
    if (mid * mid <= n) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function refSqrt(x: bigint, fmt: Fmt, rm: number): Res {
  const a = decode(x, fmt);
  if (a.t === 'nan') return nanResult(fmt, a);
  if (a.t === 'num' && a.n === 0n) return { bits: x, flags: 0 };
  if (a.neg) return invalidRes(fmt);
  if (a.t === 'inf') return { bits: x, flags: 0 };
  // Decoded values are m × 2^e (d is a power of two). Make e even and m long enough that
  // the integer root has many more than p + 2 bits; then sqrt = isqrt(m) × 2^(e/2).
  let m = a.n;
  let e = 0;
  if (a.d > 1n) e = -(a.d.toString(2).length - 1);
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e += 1;
  }
  const k = Math.max(0, 2 * fmt.p + 20 - m.toString(2).length);
  m <<= BigInt(k);
  e -= k;
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  const r = isqrtRef(m);
  const half = e / 2;
  const num = half >= 0 ? r << BigInt(half) : r;
  const den = half >= 0 ? 1n : 1n << BigInt(-half);
  if (r * r === m) return roundValue(false, num, den, fmt, rm);
  // Strictly between r and r+1: the midpoint rounds the same way (r has > p+2 bits).
  return roundValue(false, 2n * num + (half >= 0 ? 1n << BigInt(half) : 1n), 2n * den, fmt, rm);
}

/** (-1)^np × a × b + (-1)^nc × c, one rounding. */
export function refFma(x: bigint, y: bigint, z: bigint, negProd: boolean, negAdd: boolean, fmt: Fmt, rm: number): Res {
  const a = decode(x, fmt);
  const b = decode(y, fmt);
  const c = decode(z, fmt);
  const isZero = (v: Val): boolean => v.t === 'num' && v.n === 0n;
  const infZero = (a.t === 'inf' && isZero(b)) || (b.t === 'inf' && isZero(a));
  if (a.t === 'nan' || b.t === 'nan' || c.t === 'nan') {
    const r = nanResult(fmt, a, b, c);
    return { bits: r.bits, flags: r.flags | (infZero ? NV : 0) };
  }
  if (infZero) return invalidRes(fmt);
  const pneg = (a.neg !== b.neg) !== negProd;
  const cneg = (c as { neg: boolean }).neg !== negAdd;
  const pinf = a.t === 'inf' || b.t === 'inf';
  if (pinf && c.t === 'inf') return pneg === cneg ? { bits: inf(pneg, fmt), flags: 0 } : invalidRes(fmt);
  if (pinf) return { bits: inf(pneg, fmt), flags: 0 };
  if (c.t === 'inf') return { bits: inf(cneg, fmt), flags: 0 };
  const an = a as { n: bigint; d: bigint };
  const bn = b as { n: bigint; d: bigint };
  return sumNums(pneg, { n: an.n * bn.n, d: an.d * bn.d }, cneg, c, fmt, rm);
}

/** FCVT between formats. */
export function refCvtFloat(x: bigint, from: Fmt, to: Fmt, rm: number): Res {
  const a = decode(x, from);
  if (a.t === 'nan') return nanResult(to, a);
  if (a.t === 'inf') return { bits: inf(a.neg, to), flags: 0 };
  if (a.n === 0n) return { bits: zero(a.neg, to), flags: 0 };
  return roundValue(a.neg, a.n, a.d, to, rm);
}

export interface IntSpec {
  min: bigint;
  max: bigint;
  bits: number;
}
export const INT_W: IntSpec = { min: -(1n << 31n), max: (1n << 31n) - 1n, bits: 32 };
export const INT_WU: IntSpec = { min: 0n, max: (1n << 32n) - 1n, bits: 32 };
export const INT_L: IntSpec = { min: -(1n << 63n), max: (1n << 63n) - 1n, bits: 64 };
export const INT_LU: IntSpec = { min: 0n, max: (1n << 64n) - 1n, bits: 64 };
export const INT_SPECS = [INT_W, INT_WU, INT_L, INT_LU];

/** Integer value of x register contents as the given integer type. */
export function intFromReg(v: bigint, spec: IntSpec): bigint {
  const w = BigInt(spec.bits);
  const low = v & ((1n << w) - 1n);
  return spec.min < 0n ? BigInt.asIntN(spec.bits, low) : low;
}

/** The 64-bit register image of an integer result (32-bit results sign-extended). */
export function intToReg(v: bigint, spec: IntSpec): bigint {
  const truncated = BigInt.asUintN(spec.bits, v);
  return BigInt.asUintN(64, BigInt.asIntN(spec.bits, truncated));
}

/** FCVT.int.fmt: returns the register image and flags. */
export function refCvtToInt(x: bigint, fmt: Fmt, spec: IntSpec, rm: number): Res {
  const a = decode(x, fmt);
  if (a.t === 'nan') return { bits: intToReg(spec.max, spec), flags: NV };
  if (a.t === 'inf') return { bits: intToReg(a.neg ? spec.min : spec.max, spec), flags: NV };
  const [m, inexact] = roundInt(a.n, a.d, a.neg, rm);
  const v = a.neg ? -m : m;
  if (v < spec.min) return { bits: intToReg(spec.min, spec), flags: NV };
  if (v > spec.max) return { bits: intToReg(spec.max, spec), flags: NV };
  return { bits: intToReg(v, spec), flags: inexact ? NX : 0 };
}

/** FCVT.fmt.int from the integer register image. */
export function refCvtFromInt(reg: bigint, spec: IntSpec, fmt: Fmt, rm: number): Res {
  const v = intFromReg(reg, spec);
  if (v === 0n) return { bits: 0n, flags: 0 };
  return roundValue(v < 0n, v < 0n ? -v : v, 1n, fmt, rm);
}
