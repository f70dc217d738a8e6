/**
 * Property tests for FCVT (float ↔ integer, single ↔ double) against the rational reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatArb, intRegArb, nearIntegerArb, rmArb } from './test/arbitraries.ts';
import { Hart, hex, opFp } from './test/harness.ts';
import {
  type Fmt, F32, F64, INT_SPECS, refCvtFloat, refCvtFromInt, refCvtToInt,
} from './test/reference.ts';

const RUNS = 10_000;
const BOX = 0xffffffff00000000n;
const FCVT_INT_FMT = 0x18;
const FCVT_FMT_INT = 0x1a;
const FCVT_FMT_FMT = 0x08;
const TYPES = ['w', 'wu', 'l', 'lu'];

const formats: [string, Fmt, number][] = [
  ['s', F32, 0],
  ['d', F64, 1],
];

describe.each(formats)('fcvt with fmt %s', (name, fmt, fmtCode) => {
  it(`fcvt.{w,wu,l,lu}.${name} rounds, saturates and flags like the reference`, () => {
    const h = new Hart();
    const operand = fc.oneof(floatArb(fmt), nearIntegerArb(fmt));
    fc.assert(
      fc.property(operand, fc.integer({ min: 0, max: 3 }), rmArb, (a, type, [rmField, frm, rm]) => {
        if (fmt.width === 32) h.setS(1, a);
        else h.setD(1, a);
        h.frm = frm;
        h.setX(5, 0x0123456789abcdefn);
        const flags = h.exec(opFp(FCVT_INT_FMT, fmtCode, type, 1, rmField, 5));
        const want = refCvtToInt(a, fmt, INT_SPECS[type], rm);
        const got = h.getX(5);
        if (got !== want.bits || flags !== want.flags) {
          expect({ a: hex(a), type: TYPES[type], rm, x: hex(got), flags }).toEqual({
            a: hex(a), type: TYPES[type], rm, x: hex(want.bits), flags: want.flags,
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`fcvt.${name}.{w,wu,l,lu} rounds like the reference`, () => {
    const h = new Hart();
    fc.assert(
      fc.property(intRegArb, fc.integer({ min: 0, max: 3 }), rmArb, (v, type, [rmField, frm, rm]) => {
        h.setX(7, v);
        h.frm = frm;
        const flags = h.exec(opFp(FCVT_FMT_INT, fmtCode, type, 7, rmField, 2));
        const want = refCvtFromInt(v, INT_SPECS[type], fmt, rm);
        const expected = fmt.width === 32 ? BOX | want.bits : want.bits;
        const got = h.getRaw(2);
        if (got !== expected || flags !== want.flags) {
          expect({ v: hex(v), type: TYPES[type], rm, f: hex(got), flags }).toEqual({
            v: hex(v), type: TYPES[type], rm, f: hex(expected), flags: want.flags,
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('does not write x0', () => {
    const h = new Hart();
    if (fmt.width === 32) h.setS(1, 0x40000000n); // 2.0f
    else h.setD(1, 0x4000000000000000n); // 2.0
    expect(h.exec(opFp(FCVT_INT_FMT, fmtCode, 2, 1, 1, 0))).toBe(0);
    expect(h.getX(0)).toBe(0n);
  });
});

describe('fcvt between formats', () => {
  it('fcvt.s.d rounds with rm and raises OF/UF/NX like the reference', () => {
    const h = new Hart();
    // Doubles whose exponents straddle the single range are the interesting ones.
    const nearSingleRange = fc.tuple(fc.boolean(), fc.integer({ min: -160, max: 130 }), fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }))
      .map(([neg, e, frac]) => (neg ? 1n << 63n : 0n) | (BigInt(e + 1023) << 52n) | frac);
    fc.assert(
      fc.property(fc.oneof(floatArb(F64), nearSingleRange), rmArb, (a, [rmField, frm, rm]) => {
        h.setD(1, a);
        h.frm = frm;
        const flags = h.exec(opFp(FCVT_FMT_FMT, 0, 1, 1, rmField, 2));
        const want = refCvtFloat(a, F64, F32, rm);
        const got = h.getRaw(2);
        if (got !== (BOX | want.bits) || flags !== want.flags) {
          expect({ a: hex(a), rm, f: hex(got), flags }).toEqual({ a: hex(a), rm, f: hex(BOX | want.bits), flags: want.flags });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('fcvt.d.s is exact; NaNs become canonical and sNaN raises NV', () => {
    const h = new Hart();
    fc.assert(
      fc.property(floatArb(F32), rmArb, (a, [rmField, frm, rm]) => {
        h.setS(1, a);
        h.frm = frm;
        const flags = h.exec(opFp(FCVT_FMT_FMT, 1, 0, 1, rmField, 2));
        const want = refCvtFloat(a, F32, F64, rm);
        expect({ a: hex(a), f: hex(h.getD(2)), flags }).toEqual({ a: hex(a), f: hex(want.bits), flags: want.flags });
      }),
      { numRuns: RUNS },
    );
  });
});
