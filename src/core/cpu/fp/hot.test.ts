import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOT_MISS, hotFpD } from './hot.ts';
import { execFp } from './index.ts';

/** R-type OP-FP encoding with fmt D. */
const enc = (funct5: number, rm: number, rd: number, rs1: number, rs2: number) =>
  ((funct5 << 27) | (1 << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | 0x53) >>> 0;

function regs() {
  const f = new Int32Array(64);
  return { f, fd: new Float64Array(f.buffer), fs: new Float32Array(f.buffer) };
}

describe('hot double path', () => {
  it('agrees with execFp on result bits and flags whenever it answers', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), fc.double({ noNaN: false }), fc.constantFrom(0, 1, 2), fc.constantFrom(0, 7), (a, b, op, rm) => {
        const funct5 = [0x00, 0x01, 0x02][op]!;
        const insn = enc(funct5, rm, 3, 1, 2);
        const hot = regs();
        const ref = regs();
        hot.fd[1] = ref.fd[1] = a;
        hot.fd[2] = ref.fd[2] = b;
        const flags = hotFpD(hot.fd, insn, 0);
        if (flags === HOT_MISS) return;
        const refFlags = execFp(new Int32Array(64), ref.f, ref.fd, ref.fs, insn, 0);
        expect(flags).toBe(refFlags);
        expect([hot.f[6], hot.f[7]]).toEqual([ref.f[6], ref.f[7]]);
      }),
      { numRuns: 20000 },
    );
  });

  it('declines directed rounding, singles and other operations', () => {
    const { fd } = regs();
    fd[1] = 1.5;
    fd[2] = 2.25;
    expect(hotFpD(fd, enc(0x00, 1, 3, 1, 2), 0)).toBe(HOT_MISS); // RTZ
    expect(hotFpD(fd, enc(0x00, 7, 3, 1, 2), 2)).toBe(HOT_MISS); // DYN with frm = RDN
    expect(hotFpD(fd, enc(0x03, 0, 3, 1, 2), 0)).toBe(HOT_MISS); // FDIV
    expect(hotFpD(fd, (enc(0x00, 0, 3, 1, 2) & ~(3 << 25)) >>> 0, 0)).toBe(HOT_MISS); // fmt S
  });
});
