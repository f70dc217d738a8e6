/**
 * fast-check generators of operand bit patterns: uniform bits plus generators biased towards
 * specials, subnormals, binade edges, integer limits, ties, and operand pairs/triples whose
 * sum, product or quotient lands near overflow, the subnormal range or total cancellation.
 */
import fc from 'fast-check';
import { type Fmt, refMul } from './reference.ts';

const pow2 = (e: number): bigint => 1n << BigInt(e);

function bias(fmt: Fmt): number {
  return 2 ** (fmt.width - fmt.p - 1) - 1;
}

/** Builds bits from sign, unbiased exponent (clamped into the subnormal encoding) and fraction. */
export function compose(fmt: Fmt, neg: boolean, e: number, frac: bigint): bigint {
  const fracMask = pow2(fmt.p - 1) - 1n;
  const signBit = neg ? pow2(fmt.width - 1) : 0n;
  if (e < fmt.emin) {
    // Subnormal: keep the leading one at position p-1-(emin-e) when it fits.
    const shift = fmt.emin - e;
    const sig = shift >= fmt.p ? 1n : (pow2(fmt.p - 1) | frac) >> BigInt(shift);
    return signBit | (sig & fracMask) | (sig === 0n ? 1n : 0n);
  }
  const biased = BigInt(Math.min(e, fmt.emax) + bias(fmt));
  return signBit | (biased << BigInt(fmt.p - 1)) | (frac & fracMask);
}

export function unbiasedExp(bits: bigint, fmt: Fmt): number {
  const ex = Number((bits >> BigInt(fmt.p - 1)) & (pow2(fmt.width - fmt.p) - 1n));
  return ex === 0 ? fmt.emin : ex - bias(fmt);
}

function fracArb(fmt: Fmt): fc.Arbitrary<bigint> {
  const m = pow2(fmt.p - 1) - 1n;
  return fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: m }) },
    { weight: 1, arbitrary: fc.constantFrom(0n, m, 1n, m - 1n, pow2(fmt.p - 2), pow2(fmt.p - 2) - 1n, pow2(fmt.p - 2) + 1n) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 15n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 15n }).map((d) => m - d) },
    // Few significant bits: sums/products that are exact or sit exactly on ties.
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 255n }).map((d) => (d << BigInt(fmt.p - 9)) & m) },
  );
}

function expArb(fmt: Fmt): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: fmt.emin - fmt.p + 1, max: fmt.emax }) },
    { weight: 2, arbitrary: fc.integer({ min: -4, max: 4 }) },
    { weight: 1, arbitrary: fc.integer({ min: fmt.emin - fmt.p + 1, max: fmt.emin + 2 }) },
    { weight: 1, arbitrary: fc.integer({ min: fmt.emax - 3, max: fmt.emax }) },
    // Integer limits for conversions (2^24, 2^31, 2^32, 2^53, 2^63, 2^64).
    { weight: 1, arbitrary: fc.constantFrom(22, 23, 24, 25, 30, 31, 32, 33, 51, 52, 53, 54, 62, 63, 64, 65) },
  );
}

export function specialArb(fmt: Fmt): fc.Arbitrary<bigint> {
  const fracMask = pow2(fmt.p - 1) - 1n;
  const expAll = (pow2(fmt.width - fmt.p) - 1n) << BigInt(fmt.p - 1);
  const quiet = pow2(fmt.p - 2);
  const signed = (v: bigint) => fc.boolean().map((n) => (n ? pow2(fmt.width - 1) | v : v));
  return fc.oneof(
    signed(0n), // zeros
    signed(expAll), // infinities
    fc.constant(fmt.nan),
    signed(0n).chain((s) => fc.bigInt({ min: 0n, max: quiet - 1n }).map((p) => s | expAll | quiet | p)), // qNaN
    signed(0n).chain((s) => fc.bigInt({ min: 1n, max: quiet - 1n }).map((p) => s | expAll | p)), // sNaN
    signed(1n), // min subnormal
    signed(fracMask), // max subnormal
    signed(pow2(fmt.p - 1)), // min normal
    signed(expAll - 1n), // max finite
    signed(BigInt(bias(fmt)) << BigInt(fmt.p - 1)), // 1.0
  );
}

export function floatArb(fmt: Fmt): fc.Arbitrary<bigint> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: pow2(fmt.width) - 1n }) },
    { weight: 2, arbitrary: specialArb(fmt) },
    { weight: 6, arbitrary: fc.tuple(fc.boolean(), expArb(fmt), fracArb(fmt)).map(([n, e, f]) => compose(fmt, n, e, f)) },
  );
}

/** A second operand whose exponent is tied to the first one's. */
function relatedArb(fmt: Fmt, a: bigint): fc.Arbitrary<bigint> {
  const ea = unbiasedExp(a, fmt);
  const targets = fc.oneof(
    fc.integer({ min: -2, max: 2 }).map((d) => ea + d), // cancellation, quotient near 1
    fc.integer({ min: -2, max: 1 }).map((d) => fmt.emax - ea + d), // product near overflow
    fc.integer({ min: -fmt.p - 2, max: 2 }).map((d) => fmt.emin - ea + d), // product near underflow
    fc.integer({ min: -2, max: 2 }).map((d) => ea - fmt.emax + d), // quotient near overflow
    fc.integer({ min: -fmt.p - 2, max: 2 }).map((d) => ea - fmt.emin + d), // quotient near underflow
  );
  return fc.tuple(fc.boolean(), targets, fracArb(fmt)).map(([n, e, f]) =>
    compose(fmt, n, Math.max(fmt.emin - fmt.p + 1, Math.min(fmt.emax, e)), f),
  );
}

export function pairArb(fmt: Fmt): fc.Arbitrary<[bigint, bigint]> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.tuple(floatArb(fmt), floatArb(fmt)) },
    { weight: 2, arbitrary: floatArb(fmt).chain((a) => relatedArb(fmt, a).map((b): [bigint, bigint] => [a, b])) },
    // b = -a or a with a low-bit change: exact zeros and tiny differences.
    {
      weight: 1,
      arbitrary: fc.tuple(floatArb(fmt), fc.bigInt({ min: -3n, max: 3n }), fc.boolean()).map(([a, d, flip]): [bigint, bigint] => {
        const b = BigInt.asUintN(fmt.width, a + d) ^ (flip ? pow2(fmt.width - 1) : 0n);
        return [a, b];
      }),
    },
  );
}

export function tripleArb(fmt: Fmt): fc.Arbitrary<[bigint, bigint, bigint]> {
  return pairArb(fmt).chain(([a, b]) => {
    const ep = unbiasedExp(a, fmt) + unbiasedExp(b, fmt);
    const near = fc.tuple(fc.boolean(), fc.integer({ min: -fmt.p - 3, max: fmt.p + 3 }), fracArb(fmt)).map(([n, d, f]) =>
      compose(fmt, n, Math.max(fmt.emin - fmt.p + 1, Math.min(fmt.emax, ep + d)), f),
    );
    // The addend cancels the rounded product: the result is the product's rounding error.
    const cancel = fc.bigInt({ min: -2n, max: 2n }).map((d) =>
      BigInt.asUintN(fmt.width, (refMul(a, b, fmt, 0).bits ^ pow2(fmt.width - 1)) + d),
    );
    return fc.oneof(floatArb(fmt), near, cancel).map((c): [bigint, bigint, bigint] => [a, b, c]);
  });
}

/** Rounding: an explicit rm (0..4) or DYN (7) with frm 0..4. Returns [rmField, frm, effective]. */
export const rmArb: fc.Arbitrary<[number, number, number]> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 4 }).map((rm): [number, number, number] => [rm, 0, rm]) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }).map((frm): [number, number, number] => [7, frm, frm]) },
);

/** 64-bit integer register images biased to conversion edges. */
export const intRegArb: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: pow2(64) - 1n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).map((v) => BigInt.asUintN(64, v)) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 64 }), fc.bigInt({ min: -300n, max: 300n }), fc.boolean()).map(([k, d, neg]) => {
      const v = pow2(k) + d;
      return BigInt.asUintN(64, neg ? -v : v);
    }),
  },
  {
    weight: 2,
    // Values with a few significant bits placed anywhere: ties in int -> float.
    arbitrary: fc.tuple(fc.bigInt({ min: 1n, max: (1n << 30n) - 1n }), fc.integer({ min: 0, max: 40 })).map(([m, s]) =>
      BigInt.asUintN(64, m << BigInt(s)),
    ),
  },
  {
    weight: 1,
    // 32-bit edge values, with random upper words (W/WU ignore them).
    arbitrary: fc.tuple(fc.bigInt({ min: -300n, max: 300n }), fc.constantFrom(0n, 1n << 24n, 1n << 31n, 1n << 32n), fc.bigInt({ min: 0n, max: pow2(32) - 1n })).map(
      ([d, base, up]) => BigInt.asUintN(64, ((base + d) & 0xffffffffn) | (up << 32n)),
    ),
  },
);

/** Floats that sit on or next to integers and half-integers (rounding ties for FCVT). */
export function nearIntegerArb(fmt: Fmt): fc.Arbitrary<bigint> {
  return fc.tuple(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.constantFrom(0, 0.25, 0.5, 0.75)).map(([k, frac]) => {
    const v = k + frac;
    const buf = new DataView(new ArrayBuffer(8));
    if (fmt.width === 64) {
      buf.setFloat64(0, v);
      return buf.getBigUint64(0);
    }
    buf.setFloat32(0, v);
    return BigInt(buf.getUint32(0));
  });
}
