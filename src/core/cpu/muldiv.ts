/**
 * 64-bit multiply and divide on lo/hi int32 pairs (the M extension, unprivileged spec chapter 7).
 * Results land in `out` ([0] = low word, [1] = high word) so that nothing is allocated.
 * Fast paths cover operands that fit in 32 bits; the rest goes through BigInt.
 */
export const out = new Int32Array(2);

const MASK64 = (1n << 64n) - 1n;
const ubig = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const sbig = (lo: number, hi: number) => (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0);

function put(v: bigint): void {
  const u = v & MASK64;
  out[0] = Number(u & 0xffffffffn);
  out[1] = Number(u >> 32n);
}

/** High 32 bits of the unsigned product of two 32-bit values. */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p0 = a0 * b0;
  const p1 = a1 * b0;
  const p2 = a0 * b1;
  const p3 = a1 * b1;
  const mid = (p0 >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
  return (p3 + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
}

/** MUL: the low 64 bits of the product. */
export function mul(aLo: number, aHi: number, bLo: number, bHi: number): void {
  out[0] = Math.imul(aLo, bLo);
  out[1] = (mulhu32(aLo, bLo) + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) | 0;
}

/** MULHU: the high 64 bits of the unsigned 128-bit product, with 32-bit limbs. */
export function mulhu(aLo: number, aHi: number, bLo: number, bHi: number): void {
  // a*b = aH*bH·2^64 + (aH*bL + aL*bH)·2^32 + aL*bL, each partial product 64 bits.
  const ll_hi = mulhu32(aLo, bLo) >>> 0;
  const lh_lo = Math.imul(aLo, bHi) >>> 0;
  const lh_hi = mulhu32(aLo, bHi) >>> 0;
  const hl_lo = Math.imul(aHi, bLo) >>> 0;
  const hl_hi = mulhu32(aHi, bLo) >>> 0;
  const hh_lo = Math.imul(aHi, bHi) >>> 0;
  const hh_hi = mulhu32(aHi, bHi) >>> 0;
  // Column 1 (bits 32..63): ll_hi + lh_lo + hl_lo → carry into column 2.
  const c1 = ll_hi + lh_lo + hl_lo;
  const carry1 = Math.floor(c1 / 0x1_0000_0000);
  // Column 2 (bits 64..95)
  const c2 = lh_hi + hl_hi + hh_lo + carry1;
  const carry2 = Math.floor(c2 / 0x1_0000_0000);
  out[0] = c2 | 0;
  out[1] = (hh_hi + carry2) | 0;
}

/** MULH (signed × signed) from MULHU: subtract b·2^64 when a < 0 and a·2^64 when b < 0. */
export function mulh(aLo: number, aHi: number, bLo: number, bHi: number): void {
  mulhu(aLo, aHi, bLo, bHi);
  let lo = out[0]!;
  let hi = out[1]!;
  if (aHi < 0) {
    const r = (lo - bLo) | 0;
    hi = (hi - bHi - ((lo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
    lo = r;
  }
  if (bHi < 0) {
    const r = (lo - aLo) | 0;
    hi = (hi - aHi - ((lo >>> 0) < (aLo >>> 0) ? 1 : 0)) | 0;
    lo = r;
  }
  out[0] = lo;
  out[1] = hi;
}

/** MULHSU (signed a × unsigned b). */
export function mulhsu(aLo: number, aHi: number, bLo: number, bHi: number): void {
  mulhu(aLo, aHi, bLo, bHi);
  if (aHi < 0) {
    const lo = out[0]!;
    out[0] = (lo - bLo) | 0;
    out[1] = (out[1]! - bHi - ((lo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
  }
}

/** DIV / REM (signed). Division by zero and overflow follow the spec's table 7.1. */
export function div(aLo: number, aHi: number, bLo: number, bHi: number, rem: boolean): void {
  if (bLo === 0 && bHi === 0) {
    if (rem) { out[0] = aLo; out[1] = aHi; } else { out[0] = -1; out[1] = -1; }
    return;
  }
  if (aHi === aLo >> 31 && bHi === bLo >> 31) {
    // Both fit in int32: exact in doubles. -2^31 / -1 = 2^31 is fine in 64 bits.
    const q = rem ? aLo % bLo : Math.trunc(aLo / bLo);
    out[0] = q | 0;
    out[1] = q < 0 ? -1 : 0;
    return;
  }
  const a = sbig(aLo, aHi);
  const b = sbig(bLo, bHi);
  if (b === -1n && a === -(1n << 63n)) {
    if (rem) { out[0] = 0; out[1] = 0; } else { out[0] = aLo; out[1] = aHi; }
    return;
  }
  put(rem ? a % b : a / b);
}

/** DIVU / REMU. */
export function divu(aLo: number, aHi: number, bLo: number, bHi: number, rem: boolean): void {
  if (bLo === 0 && bHi === 0) {
    if (rem) { out[0] = aLo; out[1] = aHi; } else { out[0] = -1; out[1] = -1; }
    return;
  }
  if (aHi === 0 && bHi === 0) {
    const a = aLo >>> 0;
    const b = bLo >>> 0;
    out[0] = (rem ? a % b : Math.floor(a / b)) | 0;
    out[1] = 0;
    return;
  }
  const a = ubig(aLo, aHi);
  const b = ubig(bLo, bHi);
  put(rem ? a % b : a / b);
}
