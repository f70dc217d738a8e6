/**
 * The fast paths on their own: for normal operands in a moderate range and every mode but RMM
 * they must decide the result themselves (never SLOW) and agree with the reference, so the
 * exact fallback is not hiding their mistakes or doing all the work.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLOW, addD, divD, fmaD, mulD, sqrtD } from './fast-double.ts';
import { addS, divS, fmaS, mulS, sqrtS } from './fast-single.ts';
import { compose } from './test/arbitraries.ts';
import { type Fmt, type Res, F32, F64, refAdd, refDiv, refFma, refMul, refSqrt } from './test/reference.ts';

const RUNS = 5_000;
const fd = new Float64Array(32);
const f = new Int32Array(fd.buffer);
const fs = new Float32Array(fd.buffer);
const view = new DataView(new ArrayBuffer(8));

function valueOf(bits: bigint, fmt: Fmt): number {
  if (fmt.width === 64) {
    view.setBigUint64(0, bits);
    return view.getFloat64(0);
  }
  view.setUint32(0, Number(bits));
  return view.getFloat32(0);
}

function resultBits(fmt: Fmt): bigint {
  return fmt.width === 64
    ? (BigInt(f[3] >>> 0) << 32n) | BigInt(f[2] >>> 0)
    : BigInt(f[2] >>> 0);
}

function moderate(fmt: Fmt, span: number): fc.Arbitrary<bigint> {
  return fc.tuple(fc.boolean(), fc.integer({ min: -span, max: span }), fc.bigInt({ min: 0n, max: (1n << BigInt(fmt.p - 1)) - 1n }))
    .map(([n, e, frac]) => compose(fmt, n, e, frac));
}

const rmArb = fc.integer({ min: 0, max: 3 });

describe.each([
  ['double', F64, 300],
  ['single', F32, 30],
] as [string, Fmt, number][])('%s fast paths', (_name, fmt, span) => {
  const isD = fmt.width === 64;
  const ops: [string, number, (a: number, b: number, c: number, rm: number) => number, (a: bigint, b: bigint, c: bigint, rm: number) => Res][] = [
    ['add', 2, (a, b, _c, rm) => (isD ? addD(fd, 1, a, b, rm) : addS(f, fs, 1, a, b, rm)), (a, b, _c, rm) => refAdd(a, b, fmt, rm)],
    ['mul', 2, (a, b, _c, rm) => (isD ? mulD(fd, 1, a, b, rm) : mulS(f, fs, 1, a, b, rm)), (a, b, _c, rm) => refMul(a, b, fmt, rm)],
    ['div', 2, (a, b, _c, rm) => (isD ? divD(fd, 1, a, b, rm) : divS(f, fs, 1, a, b, rm)), (a, b, _c, rm) => refDiv(a, b, fmt, rm)],
    ['sqrt', 1, (a, _b, _c, rm) => (isD ? sqrtD(fd, 1, Math.abs(a), rm) : sqrtS(f, fs, 1, Math.abs(a), rm)),
      (a, _b, _c, rm) => refSqrt(a & ((1n << BigInt(fmt.width - 1)) - 1n), fmt, rm)],
    ['fma', 3, (a, b, c, rm) => (isD ? fmaD(fd, 1, a, b, c, rm) : fmaS(f, fs, 1, a, b, c, rm)), (a, b, c, rm) => refFma(a, b, c, false, false, fmt, rm)],
  ];
  for (const [name, , fast, ref] of ops) {
    it(`${name} decides normal operands itself and matches the reference`, () => {
      const operand = moderate(fmt, span);
      fc.assert(
        fc.property(operand, operand, operand, rmArb, (a, b, c, rm) => {
          const flags = fast(valueOf(a, fmt), valueOf(b, fmt), valueOf(c, fmt), rm);
          const want = ref(a, b, c, rm);
          // Exact zero sums under RDN, and fma's rare undecidable residual signs (measured by the
          // coverage test below), legitimately need the exact path.
          const isZero = (want.bits & ((1n << BigInt(fmt.width - 1)) - 1n)) === 0n;
          if (flags === SLOW && (name === 'fma' || (name === 'add' && isZero))) return;
          expect({ flags, bits: resultBits(fmt).toString(16) }).toEqual({ flags: want.flags, bits: want.bits.toString(16) });
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('fast-path coverage', () => {
  it('double fma takes the fast path for at least 99% of moderate random operands', () => {
    let slow = 0;
    const n = 20_000;
    // A fixed-seed LCG over 53-bit mantissas keeps this deterministic.
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const hi = seed >>> 5;
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (hi * 67108864 + (seed >>> 6)) / 9007199254740992 - 0.5;
    };
    for (let i = 0; i < n; i++) {
      if (fmaD(fd, 1, next() * 1e3, next(), next() * 1e2, i & 3) === SLOW) slow++;
    }
    expect(slow / n).toBeLessThan(0.01);
  });
});
