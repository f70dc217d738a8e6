/**
 * Hand-written cases from the spec's tables and rules: FCVT saturation ("Domains of
 * float-to-integer conversions"), FMIN/FMAX NaN handling, FCLASS bits, fused-multiply-add
 * invalid cases, zero signs, and the encodings that must be illegal.
 */
import { describe, expect, it } from 'vitest';
import { Hart, MADD, opFp, r4 } from './test/harness.ts';

const NV = 0x10;
const DZ = 0x08;
const OF = 0x04;
const UF = 0x02;
const NX = 0x01;

const D = {
  one: 0x3ff0000000000000n,
  negOne: 0xbff0000000000000n,
  two: 0x4000000000000000n,
  zero: 0n,
  negZero: 0x8000000000000000n,
  inf: 0x7ff0000000000000n,
  negInf: 0xfff0000000000000n,
  qnan: 0x7ff8000000000000n,
  snan: 0x7ff0000000000001n,
  minSub: 1n,
  max: 0x7fefffffffffffffn,
  minNormal: 0x0010000000000000n,
};
const S = {
  one: 0x3f800000n,
  qnan: 0x7fc00000n,
  snan: 0x7f800001n,
  inf: 0x7f800000n,
  negInf: 0xff800000n,
  negZero: 0x80000000n,
  max: 0x7f7fffffn,
  minNormal: 0x00800000n,
};

function toIntD(value: bigint, type: number, rm = 1): [bigint, number] {
  const h = new Hart();
  h.setD(1, value);
  const flags = h.exec(opFp(0x18, 1, type, 1, rm, 5));
  return [h.getX(5), flags];
}

const W = 0, WU = 1, L = 2, LU = 3;
const ALL = 0xffffffffffffffffn;

describe('FCVT saturation table (spec 11.7)', () => {
  const cases: [string, bigint, number, bigint][] = [
    ['W, -inf', D.negInf, W, 0xffffffff80000000n],
    ['W, +inf', D.inf, W, 0x7fffffffn],
    ['W, NaN', D.qnan, W, 0x7fffffffn],
    ['W, 2^31', 0x41e0000000000000n, W, 0x7fffffffn],
    ['W, -2^31 - 1', 0xc1e0000000200000n, W, 0xffffffff80000000n],
    ['WU, -inf', D.negInf, WU, 0n],
    ['WU, +inf', D.inf, WU, ALL],
    ['WU, NaN', D.qnan, WU, ALL],
    ['WU, -1', D.negOne, WU, 0n],
    ['WU, 2^32', 0x41f0000000000000n, WU, ALL],
    ['L, -inf', D.negInf, L, 0x8000000000000000n],
    ['L, +inf', D.inf, L, 0x7fffffffffffffffn],
    ['L, NaN', D.qnan, L, 0x7fffffffffffffffn],
    ['L, 2^63', 0x43e0000000000000n, L, 0x7fffffffffffffffn],
    ['LU, -inf', D.negInf, LU, 0n],
    ['LU, +inf', D.inf, LU, ALL],
    ['LU, NaN', D.snan, LU, ALL],
    ['LU, 2^64', 0x43f0000000000000n, LU, ALL],
  ];
  for (const [name, value, type, want] of cases) {
    it(`${name} saturates and raises NV only`, () => {
      expect(toIntD(value, type)).toEqual([want, NV]);
    });
  }

  it('in-range values convert; inexact raises NX; -2^31 and -2^63 are exact', () => {
    expect(toIntD(0xc1e0000000000000n, W)).toEqual([0xffffffff80000000n, 0]);
    expect(toIntD(0xc3e0000000000000n, L)).toEqual([0x8000000000000000n, 0]);
    expect(toIntD(0x3ff8000000000000n, W, 0)).toEqual([2n, NX]); // 1.5 RNE -> 2
    expect(toIntD(0x4004000000000000n, W, 0)).toEqual([2n, NX]); // 2.5 RNE -> 2
    expect(toIntD(0x4004000000000000n, W, 4)).toEqual([3n, NX]); // 2.5 RMM -> 3
    expect(toIntD(0xc004000000000000n, W, 2)).toEqual([ALL - 2n, NX]); // -2.5 RDN -> -3
    expect(toIntD(0xc004000000000000n, W, 3)).toEqual([ALL - 1n, NX]); // -2.5 RUP -> -2
  });

  it('WU of a negative value that rounds to 0 is valid (NX, not NV)', () => {
    expect(toIntD(0xbfe0000000000000n, WU, 1)).toEqual([0n, NX]); // -0.5 RTZ
    expect(toIntD(0xbfe0000000000000n, WU, 2)).toEqual([0n, NV]); // -0.5 RDN -> -1: invalid
  });

  it('32-bit results are sign-extended (FCVT.WU of 2^32 - 1)', () => {
    expect(toIntD(0x41efffffffe00000n, WU)).toEqual([ALL, 0]);
  });
});

describe('FMIN/FMAX NaN rules (spec 11.6)', () => {
  function minmax(a: bigint, b: bigint, max: boolean): [bigint, number] {
    const h = new Hart();
    h.setD(1, a);
    h.setD(2, b);
    const flags = h.exec(opFp(0x05, 1, 2, 1, max ? 1 : 0, 3));
    return [h.getD(3), flags];
  }
  it('one quiet NaN operand returns the other without flags', () => {
    expect(minmax(D.qnan, D.one, false)).toEqual([D.one, 0]);
    expect(minmax(D.one, D.qnan, true)).toEqual([D.one, 0]);
  });
  it('a signaling NaN operand returns the other and raises NV', () => {
    expect(minmax(D.snan, D.one, false)).toEqual([D.one, NV]);
  });
  it('two NaNs return the canonical NaN', () => {
    expect(minmax(0x7ff8000000000123n, D.snan, true)).toEqual([D.qnan, NV]);
  });
  it('-0 is less than +0', () => {
    expect(minmax(D.zero, D.negZero, false)).toEqual([D.negZero, 0]);
    expect(minmax(D.negZero, D.zero, true)).toEqual([D.zero, 0]);
  });
});

describe('FCLASS bits (spec table)', () => {
  const cases: [bigint, number][] = [
    [D.negInf, 0], [D.negOne, 1], [0x800fffffffffffffn, 2], [D.negZero, 3], [D.zero, 4],
    [D.minSub, 5], [D.one, 6], [D.inf, 7], [D.snan, 8], [D.qnan, 9],
  ];
  for (const [bits, bit] of cases) {
    it(`0x${bits.toString(16)} -> bit ${bit}`, () => {
      const h = new Hart();
      h.setD(1, bits);
      expect(h.exec(opFp(0x1c, 1, 0, 1, 1, 5))).toBe(0);
      expect(h.getX(5)).toBe(1n << BigInt(bit));
    });
  }
  it('an improperly boxed single classifies as a quiet NaN', () => {
    const h = new Hart();
    h.setD(1, S.one);
    h.exec(opFp(0x1c, 0, 0, 1, 1, 5));
    expect(h.getX(5)).toBe(1n << 9n);
  });
});

describe('rounding-rule corner cases', () => {
  function binD(funct5: number, a: bigint, b: bigint, rm: number): [bigint, number] {
    const h = new Hart();
    h.setD(1, a);
    h.setD(2, b);
    const flags = h.exec(opFp(funct5, 1, 2, 1, rm, 3));
    return [h.getD(3), flags];
  }
  it('x - x is +0, but -0 under RDN', () => {
    expect(binD(0x01, D.one, D.one, 0)).toEqual([D.zero, 0]);
    expect(binD(0x01, D.one, D.one, 2)).toEqual([D.negZero, 0]);
  });
  it('division by zero raises DZ; 0/0 raises NV', () => {
    expect(binD(0x03, D.one, D.zero, 0)).toEqual([D.inf, DZ]);
    expect(binD(0x03, D.zero, D.zero, 0)).toEqual([D.qnan, NV]);
  });
  it('overflow: RNE gives inf, RTZ gives the largest finite', () => {
    expect(binD(0x00, D.max, D.max, 0)).toEqual([D.inf, OF | NX]);
    expect(binD(0x00, D.max, D.max, 1)).toEqual([D.max, OF | NX]);
  });
  it('tininess is detected after rounding', () => {
    // (2^-1022 - 2^-1075) rounds up to 2^-1022 under RUP: not tiny after rounding, so no UF.
    const justBelow = 0x000fffffffffffffn; // largest subnormal = 2^-1022 - 2^-1074
    const half = 0x3fe0000000000000n; // 0.5
    expect(binD(0x00, justBelow, D.minSub, 0)).toEqual([D.minNormal, 0]); // exact
    // largest subnormal × (1 + 2^-52) = 2^-1022 - 2^-1074 + tiny -> rounds to min normal:
    expect(binD(0x02, justBelow, 0x3ff0000000000001n, 3)).toEqual([D.minNormal, NX]);
    expect(binD(0x02, D.minNormal, half, 0)).toEqual([0x0008000000000000n, 0]); // exact subnormal
    expect(binD(0x02, D.minSub, half, 0)).toEqual([D.zero, UF | NX]);
  });
  it('sqrt(-0) = -0; sqrt(-1) is invalid', () => {
    const h = new Hart();
    h.setD(1, D.negZero);
    expect(h.exec(opFp(0x0b, 1, 0, 1, 0, 3))).toBe(0);
    expect(h.getD(3)).toBe(D.negZero);
    h.setD(1, D.negOne);
    expect(h.exec(opFp(0x0b, 1, 0, 1, 0, 3))).toBe(NV);
    expect(h.getD(3)).toBe(D.qnan);
  });
  it('fma: inf × 0 raises NV even with a quiet NaN addend', () => {
    const h = new Hart();
    h.setD(1, D.inf);
    h.setD(2, D.zero);
    h.setD(3, D.qnan);
    expect(h.exec(r4(MADD, 3, 1, 2, 1, 0, 4))).toBe(NV);
    expect(h.getD(4)).toBe(D.qnan);
  });
  it('fma is fused: (1 + 2^-52)(1 - 2^-53) - 1 = 2^-53 - 2^-105 exactly', () => {
    const h = new Hart();
    h.setD(1, 0x3ff0000000000001n);
    h.setD(2, 0x3fefffffffffffffn); // 1 - 2^-53
    h.setD(3, D.negOne);
    expect(h.exec(r4(MADD, 3, 1, 2, 1, 0, 4))).toBe(0);
    // (1 + 2^-52)(1 - 2^-53) - 1 = 2^-52 - 2^-53 - 2^-105 = 2^-53 - 2^-105
    //   = 2^-54 × (2 - 2^-51): biased exponent 969 (0x3c9), fraction 51 ones then a zero.
    // An unfused multiply would round the product to 1 and return 0.
    expect(h.getD(4)).toBe(0x3c9ffffffffffffen);
  });
});

describe('illegal encodings return -1', () => {
  const h = new Hart();
  const cases: [string, number, number?][] = [
    ['fmt H (10)', opFp(0x00, 2, 2, 1, 0, 3)],
    ['fmt Q (11)', opFp(0x00, 3, 2, 1, 0, 3)],
    ['reserved rm 5', opFp(0x00, 1, 2, 1, 5, 3)],
    ['reserved rm 6', opFp(0x02, 0, 2, 1, 6, 3)],
    ['DYN with frm = 5', opFp(0x00, 1, 2, 1, 7, 3), 5],
    ['DYN with frm = 7', r4(MADD, 3, 1, 2, 1, 7, 4), 7],
    ['fsqrt with rs2 != 0', opFp(0x0b, 1, 1, 1, 0, 3)],
    ['fsgnj funct3 3', opFp(0x04, 1, 2, 1, 3, 3)],
    ['fmin funct3 2', opFp(0x05, 1, 2, 1, 2, 3)],
    ['fcmp funct3 3', opFp(0x14, 1, 2, 1, 3, 3)],
    ['fcvt.s.s', opFp(0x08, 0, 0, 1, 0, 3)],
    ['fcvt.d.d', opFp(0x08, 1, 1, 1, 0, 3)],
    ['fcvt.w.d rs2 = 4', opFp(0x18, 1, 4, 1, 0, 3)],
    ['fcvt.d.w rs2 = 5', opFp(0x1a, 1, 5, 1, 0, 3)],
    ['fmv.x.d rs2 != 0', opFp(0x1c, 1, 1, 1, 0, 3)],
    ['fclass funct3 2', opFp(0x1c, 1, 0, 1, 2, 3)],
    ['fmv.d.x funct3 1', opFp(0x1e, 1, 0, 1, 1, 3)],
    ['unknown funct5', opFp(0x06, 1, 2, 1, 0, 3)],
  ];
  for (const [name, insn, frm] of cases) {
    it(name, () => {
      h.frm = frm ?? 0;
      expect(h.exec(insn)).toBe(-1);
    });
  }
  it('DYN with a valid frm is legal', () => {
    h.frm = 4;
    expect(h.exec(opFp(0x00, 1, 2, 1, 7, 3))).not.toBe(-1);
  });
});
