/**
 * Property tests for the non-rounding instructions: FMIN/FMAX, FEQ/FLT/FLE, FSGNJ*, FCLASS and
 * the moves, against small models written from the spec text over decoded rationals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatArb, pairArb } from './test/arbitraries.ts';
import { Hart, hex, opFp } from './test/harness.ts';
import { type Fmt, type Val, F32, F64, NV, decode } from './test/reference.ts';

const RUNS = 10_000;
const BOX = 0xffffffff00000000n;

const formats: [string, Fmt, number][] = [
  ['S', F32, 0],
  ['D', F64, 1],
];

/** Compares two non-NaN values: -1, 0, 1; -0 and +0 compare equal. */
function cmp(a: Val, b: Val): number {
  const key = (v: Val): [number, bigint, bigint] => {
    if (v.t === 'inf') return [v.neg ? -2 : 2, 0n, 1n];
    if (v.t === 'num') return [0, v.neg ? -v.n : v.n, v.d];
    throw new Error('NaN');
  };
  const [ia, na, da] = key(a);
  const [ib, nb, db] = key(b);
  if (ia !== ib) return ia < ib ? -1 : 1;
  const l = na * db;
  const r = nb * da;
  return l < r ? -1 : l > r ? 1 : 0;
}

const isNaN = (v: Val): boolean => v.t === 'nan';
const isSNaN = (v: Val): boolean => v.t === 'nan' && v.signaling;

describe.each(formats)('non-rounding instructions, fmt %s', (_name, fmt, fmtCode) => {
  const sign = 1n << BigInt(fmt.width - 1);
  const set = (h: Hart, r: number, v: bigint): void => (fmt.width === 32 ? h.setS(r, v) : h.setD(r, v));
  const box = (v: bigint): bigint => (fmt.width === 32 ? BOX | v : v);

  it('fmin/fmax follow spec 11.6 (minimumNumber/maximumNumber, -0 < +0)', () => {
    const h = new Hart();
    fc.assert(
      fc.property(pairArb(fmt), fc.boolean(), ([a, b], max) => {
        set(h, 1, a);
        set(h, 2, b);
        const flags = h.exec(opFp(0x05, fmtCode, 2, 1, max ? 1 : 0, 3));
        const va = decode(a, fmt);
        const vb = decode(b, fmt);
        let want: bigint;
        if (isNaN(va) && isNaN(vb)) want = fmt.nan;
        else if (isNaN(va)) want = b;
        else if (isNaN(vb)) want = a;
        else {
          let c = cmp(va, vb);
          if (c === 0) c = (a & sign) === (b & sign) ? 0 : a & sign ? -1 : 1; // -0 < +0
          want = (c <= 0) !== max ? a : b;
        }
        const wantFlags = isSNaN(va) || isSNaN(vb) ? NV : 0;
        expect({ a: hex(a), b: hex(b), r: hex(h.getRaw(3)), flags }).toEqual({ a: hex(a), b: hex(b), r: hex(box(want)), flags: wantFlags });
      }),
      { numRuns: RUNS },
    );
  });

  it('feq is quiet, flt/fle are signaling', () => {
    const h = new Hart();
    fc.assert(
      fc.property(pairArb(fmt), fc.integer({ min: 0, max: 2 }), ([a, b], funct3) => {
        set(h, 1, a);
        set(h, 2, b);
        h.setX(9, 0xdeadbeefdeadbeefn);
        const flags = h.exec(opFp(0x14, fmtCode, 2, 1, funct3, 9));
        const va = decode(a, fmt);
        const vb = decode(b, fmt);
        let want = 0n;
        let wantFlags = 0;
        if (isNaN(va) || isNaN(vb)) {
          wantFlags = funct3 === 2 ? (isSNaN(va) || isSNaN(vb) ? NV : 0) : NV;
        } else {
          const c = cmp(va, vb);
          want = BigInt(funct3 === 2 ? +(c === 0) : funct3 === 1 ? +(c < 0) : +(c <= 0));
        }
        expect({ x: h.getX(9), flags }).toEqual({ x: want, flags: wantFlags });
      }),
      { numRuns: RUNS },
    );
  });

  it('fsgnj/fsgnjn/fsgnjx are bit operations on the unboxed value', () => {
    const h = new Hart();
    fc.assert(
      fc.property(pairArb(fmt), fc.integer({ min: 0, max: 2 }), ([a, b], funct3) => {
        set(h, 1, a);
        set(h, 2, b);
        expect(h.exec(opFp(0x04, fmtCode, 2, 1, funct3, 3))).toBe(0);
        const sb = b & sign;
        const s = funct3 === 0 ? sb : funct3 === 1 ? sb ^ sign : sb ^ (a & sign);
        expect(hex(h.getRaw(3))).toBe(hex(box((a & ~sign) | s)));
      }),
      { numRuns: RUNS },
    );
  });

  it('fclass sets exactly one bit matching the decoded class', () => {
    const h = new Hart();
    fc.assert(
      fc.property(floatArb(fmt), (a) => {
        set(h, 1, a);
        expect(h.exec(opFp(0x1c, fmtCode, 0, 1, 1, 6))).toBe(0);
        const v = decode(a, fmt);
        const minNormal = fmt.width === 32 ? { n: 1n, d: 1n << 126n } : { n: 1n, d: 1n << 1022n };
        let bit: number;
        if (v.t === 'nan') bit = v.signaling ? 8 : 9;
        else if (v.t === 'inf') bit = v.neg ? 0 : 7;
        else if (v.n === 0n) bit = v.neg ? 3 : 4;
        else {
          const normal = v.n * minNormal.d >= minNormal.n * v.d;
          bit = v.neg ? (normal ? 1 : 2) : normal ? 6 : 5;
        }
        expect(h.getX(6)).toBe(1n << BigInt(bit));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('moves', () => {
  it('fmv.x.w sign-extends the raw low word without unboxing; fmv.w.x NaN-boxes', () => {
    const h = new Hart();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        h.setD(1, v); // arbitrary upper word: FMV.X.W ignores it
        expect(h.exec(opFp(0x1c, 0, 0, 1, 0, 5))).toBe(0);
        expect(h.getX(5)).toBe(BigInt.asUintN(64, BigInt.asIntN(32, v & 0xffffffffn)));
        h.setX(6, v);
        expect(h.exec(opFp(0x1e, 0, 0, 6, 0, 2))).toBe(0);
        expect(h.getRaw(2)).toBe(BOX | (v & 0xffffffffn));
      }),
      { numRuns: RUNS },
    );
  });

  it('fmv.x.d and fmv.d.x copy all 64 bits, NaN payloads included', () => {
    const h = new Hart();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        h.setD(1, v);
        expect(h.exec(opFp(0x1c, 1, 0, 1, 0, 5))).toBe(0);
        expect(h.getX(5)).toBe(v);
        expect(h.exec(opFp(0x1e, 1, 0, 5, 0, 2))).toBe(0);
        expect(h.getD(2)).toBe(v);
      }),
      { numRuns: RUNS },
    );
  });
});
