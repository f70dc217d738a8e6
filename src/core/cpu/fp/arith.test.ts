/**
 * Property tests: every rounding arithmetic instruction against the independent rational
 * reference, for both formats and all rounding modes (explicit and dynamic).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairArb, rmArb, tripleArb, floatArb } from './test/arbitraries.ts';
import { Hart, MADD, MSUB, NMADD, NMSUB, hex, opFp, r4 } from './test/harness.ts';
import { type Fmt, type Res, F32, F64, refAdd, refDiv, refFma, refMul, refSqrt } from './test/reference.ts';

const RUNS = 10_000;
const BOX = 0xffffffff00000000n;

const formats: [string, Fmt, number][] = [
  ['S', F32, 0],
  ['D', F64, 1],
];

function setF(h: Hart, fmt: Fmt, r: number, bits: bigint): void {
  if (fmt.width === 32) h.setS(r, bits);
  else h.setD(r, bits);
}

function check(h: Hart, fmt: Fmt, flags: number, want: Res, inputs: bigint[]): void {
  const expected = fmt.width === 32 ? BOX | want.bits : want.bits;
  const got = h.getRaw(4);
  if (got !== expected || flags !== want.flags) {
    expect({ inputs: inputs.map(hex), bits: hex(got), flags }).toEqual({
      inputs: inputs.map(hex), bits: hex(expected), flags: want.flags,
    });
  }
}

describe.each(formats)('arithmetic %s', (_name, fmt, fmtCode) => {
  const binary: [string, number, (a: bigint, b: bigint, rm: number) => Res][] = [
    ['fadd', 0x00, (a, b, rm) => refAdd(a, b, fmt, rm)],
    ['fsub', 0x01, (a, b, rm) => refAdd(a, b, fmt, rm, true)],
    ['fmul', 0x02, (a, b, rm) => refMul(a, b, fmt, rm)],
    ['fdiv', 0x03, (a, b, rm) => refDiv(a, b, fmt, rm)],
  ];
  for (const [name, funct5, ref] of binary) {
    it(`${name} matches the reference`, () => {
      const h = new Hart();
      fc.assert(
        fc.property(pairArb(fmt), rmArb, ([a, b], [rmField, frm, rm]) => {
          setF(h, fmt, 1, a);
          setF(h, fmt, 2, b);
          h.frm = frm;
          const flags = h.exec(opFp(funct5, fmtCode, 2, 1, rmField, 4));
          check(h, fmt, flags, ref(a, b, rm), [a, b, BigInt(rm)]);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('fsqrt matches the reference', () => {
    const h = new Hart();
    fc.assert(
      fc.property(floatArb(fmt), fc.boolean(), rmArb, (a0, positive, [rmField, frm, rm]) => {
        // Mostly positive operands, so that most cases exercise rounding, not NV.
        const a = positive ? a0 & ((1n << BigInt(fmt.width - 1)) - 1n) : a0;
        setF(h, fmt, 1, a);
        h.frm = frm;
        const flags = h.exec(opFp(0x0b, fmtCode, 0, 1, rmField, 4));
        check(h, fmt, flags, refSqrt(a, fmt, rm), [a, BigInt(rm)]);
      }),
      { numRuns: RUNS },
    );
  });

  const fused: [string, number, boolean, boolean][] = [
    ['fmadd', MADD, false, false],
    ['fmsub', MSUB, false, true],
    ['fnmsub', NMSUB, true, false],
    ['fnmadd', NMADD, true, true],
  ];
  for (const [name, opcode, negProd, negAdd] of fused) {
    it(`${name} is fused (one rounding) and matches the reference`, () => {
      const h = new Hart();
      fc.assert(
        fc.property(tripleArb(fmt), rmArb, ([a, b, c], [rmField, frm, rm]) => {
          setF(h, fmt, 1, a);
          setF(h, fmt, 2, b);
          setF(h, fmt, 3, c);
          h.frm = frm;
          const flags = h.exec(r4(opcode, 3, fmtCode, 2, 1, rmField, 4));
          check(h, fmt, flags, refFma(a, b, c, negProd, negAdd, fmt, rm), [a, b, c, BigInt(rm)]);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('regressions and aliasing', () => {
  it('writes the result correctly when rd is also a source', () => {
    const h = new Hart();
    h.setD(1, 0x3ff8000000000000n); // 1.5
    expect(h.exec(opFp(0x02, 1, 1, 1, 0, 1))).toBe(0);
    expect(h.getD(1)).toBe(0x4002000000000000n); // 2.25
  });

  it('reads an improperly boxed single as the canonical NaN', () => {
    const h = new Hart();
    h.setD(1, 0x000000003f800000n); // 1.0f without the box
    h.setS(2, 0x3f800000n);
    expect(h.exec(opFp(0x00, 0, 2, 1, 0, 3))).toBe(0);
    expect(h.getRaw(3)).toBe(0xffffffff7fc00000n);
  });
});
