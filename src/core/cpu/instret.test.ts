/**
 * minstret counts retired instructions only: one that raises an exception (here ECALL) does
 * not retire (Zicntr; privileged spec 3.3.1 "ECALL and EBREAK … are not considered to
 * retire"), while guest time, made of executed instructions, still advances for it.
 */
import { describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import { Ram } from '../bus/ram.ts';
import { CSR } from '../isa/csr.ts';
import { encodeI } from '../isa/encode.ts';
import { OP } from '../isa/opcodes.ts';
import { Hart } from './hart.ts';

const BASE = 0x8000_0000;
const csrr = (rd: number, csr: number) => encodeI(OP.SYSTEM, rd, 2, 0, csr);
const csrw = (csr: number, rs: number) => encodeI(OP.SYSTEM, 0, 1, rs, csr);
const ECALL = 0x00000073;
const MRET = 0x30200073;

describe('minstret and exceptions', () => {
  it('does not count an ECALL, but the run still does', () => {
    const handler = 0x100;
    const program = new Map<number, number>([
      [0x00, encodeI(OP.OP_IMM, 7, 0, 0, handler)], // x7 = handler offset
      [0x04, encodeI(OP.OP_IMM, 8, 0, 0, 1)], // x8 = 1 → x8 = 0x80000000 + handler below
      [0x08, encodeI(OP.OP_IMM, 8, 1, 8, 31)], // x8 <<= 31
      [0x0c, encodeI(OP.OP, 8, 0, 8, 0) | (7 << 20)], // x8 += x7
      [0x10, csrw(CSR.MTVEC, 8)],
      [0x14, csrr(5, CSR.MINSTRET)],
      [0x18, ECALL],
      [0x1c, csrr(6, CSR.MINSTRET)],
      [0x20, 0x0000006f], // j .
      [handler, csrr(9, CSR.MEPC)],
      [handler + 4, encodeI(OP.OP_IMM, 9, 0, 9, 4)],
      [handler + 8, csrw(CSR.MEPC, 9)],
      [handler + 12, MRET],
    ]);
    const ram = new Ram(BASE, 1 << 16);
    for (const [at, insn] of program) ram.i32[at >>> 2] = insn | 0;
    const hart = new Hart(new Bus(ram), { now: () => 0 }, undefined, { jit: false });
    hart.reset(BASE);
    const ran = hart.run(13);
    expect(hart.state.pcLo >>> 0).toBe(BASE + 0x20);
    // Between the two reads: csrr x5, the handler's four instructions; not the ECALL.
    expect(hart.state.x[12]! - hart.state.x[10]!).toBe(5);
    // The run counted all 13, the ECALL included: guest time does not lose it.
    expect(ran).toBe(13);
    expect(hart.state.instret).toBe(13);
  });
});
