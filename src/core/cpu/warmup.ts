/**
 * JIT warm-up for the interpreter. The interpreter is one large function; when the optimizing
 * compiler meets a case that never ran before, it has no type feedback there and throws the
 * optimized code away (a "deopt"), and recompiling a function this size takes 50–250 ms. A
 * Linux boot reaches new cases for a long time, so it used to run mostly in the slow tiers.
 *
 * Executing a few thousand pseudo-random instructions (every opcode, funct and format, with
 * random operands, valid and faulting addresses, all privilege levels) on a throwaway hart
 * first gives every case type feedback. It is deterministic (a fixed-seed generator) and
 * touches nothing but its own scratch machine.
 */
import { Bus } from '../bus/bus.ts';
import { Ram } from '../bus/ram.ts';
import { PRIV } from '../isa/causes.ts';
import { MSTATUS } from '../isa/csr.ts';
import { Slot } from './hart-state.ts';
import { Hart } from './hart.ts';
import { warmUpBlockPath } from './jit/warmup.ts';

const RAM_BASE = 0x8000_0000;
const RAM_SIZE = 1 << 20;
const CODE = RAM_BASE + 0x1000;

let done = false;

/** xorshift32: deterministic operands and encodings. */
function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** Major opcodes with their funct3/funct7 spaces, so random encodings hit real instructions. */
const OPCODES = [0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73];
const FUNCT7 = [0x00, 0x20, 0x21, 0x02, 0x01, 0x00, 0x00, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c, 0x2c, 0x50, 0x60, 0x68, 0x70, 0x78, 0x71, 0x79];

export function warmUpInterpreter(): void {
  if (done) return;
  done = true;
  warmUpBlockPath();
  const ram = new Ram(RAM_BASE, RAM_SIZE);
  // The interpreter is what is warmed: compiled blocks would run in its place (and this loop
  // rewrites the same code over and over without telling anyone).
  const hart: Hart = new Hart(new Bus(ram), { now: (): number => hart.state.instret }, undefined, { jit: false });
  const next = rng(0x7ab7);
  const s = hart.state;
  const randomOperandBits = () => next() & 0x01ff_8f80; // rs2, rs1, rd fields (funct3 cleared)
  let round = 0;

  const runOne = (insn: number, at: number, interrupts: boolean, base?: number) => {
    const off = at - RAM_BASE;
    // The instruction twice (the second memory access hits the TLB), then a nop.
    for (const o of [off, off + ((insn & 3) === 3 ? 4 : 2)]) {
      ram.u16[o >>> 1] = insn & 0xffff;
      if ((insn & 3) === 3) ram.u16[(o >>> 1) + 1] = insn >>> 16;
    }
    const nop = off + ((insn & 3) === 3 ? 8 : 4);
    ram.u16[nop >>> 1] = 0x0013;
    ram.u16[(nop >>> 1) + 1] = 0x0000;
    // Random register file: small and large values, and addresses inside RAM.
    for (let r = 1; r < 32; r++) {
      const v = next() % 4;
      s.x[2 * r] = v === 0 ? RAM_BASE + 0x8000 + (next() % 0x800) : next() | 0;
      s.x[2 * r + 1] = v === 0 ? 0 : v === 1 ? -1 : v === 2 ? 0 : next() | 0;
    }
    if (base !== undefined) {
      s.x[2 * 10] = base;
      s.x[2 * 10 + 1] = 0;
    }
    for (let r = 0; r < 64; r++) s.f[r] = next() | 0;
    s.priv = [PRIV.M, PRIV.S, PRIV.U][next() % 3]!;
    s.mstatus = (next() & (MSTATUS.SUM | MSTATUS.MXR | MSTATUS.MPRV | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR | MSTATUS.MIE | MSTATUS.SIE)) | MSTATUS.FS;
    s.frm = next() % 5;
    s.mie = interrupts ? next() & 0xaaa : 0;
    s.mideleg = interrupts ? next() & 0x222 : 0;
    s.mipSw = interrupts ? next() & 0x222 : 0;
    hart.csr[Slot.MTVEC * 2] = (CODE + 0x800) | (next() & 1);
    hart.csr[Slot.STVEC * 2] = (CODE + 0xa00) | (next() & 1);
    hart.csr[Slot.MEPC * 2] = CODE;
    hart.csr[Slot.SEPC * 2] = CODE;
    s.pcLo = at | 0;
    s.pcHi = 0;
    s.wfi = interrupts && next() % 2 === 0;
    hart.irqCheck = true;
    if (round++ % 64 === 0) hart.flushTlb();
    hart.run(3);
  };

  // Every major opcode × funct3 × a spread of funct7 values, twice with fresh operands.
  for (let pass = 0; pass < 2; pass++) {
    for (const op of OPCODES) {
      for (let f3 = 0; f3 < 8; f3++) {
        for (const f7 of FUNCT7) runOne(((f7 << 25) | randomOperandBits() | (f3 << 12) | op) >>> 0, CODE, false);
      }
    }
  }
  // Aligned loads and stores through a TLB hit: base in x10, offsets that keep alignment.
  const MEMORY_OPS = [0x03, 0x07, 0x23, 0x27];
  for (let i = 0; i < 1200; i++) {
    const op = MEMORY_OPS[i % 4]!;
    const f3 = (i >> 2) % 8;
    const imm = 8 * (next() % 64);
    const other = 11 + (next() % 20);
    const insn =
      op === 0x23 || op === 0x27
        ? ((imm >> 5) << 25) | (other << 20) | (10 << 15) | (f3 << 12) | ((imm & 31) << 7) | op
        : (imm << 20) | (10 << 15) | (f3 << 12) | (other << 7) | op;
    runOne(insn >>> 0, CODE, false, RAM_BASE + 0x8000);
  }
  // The privileged SYSTEM encodings.
  for (const insn of [0x00000073, 0x00100073, 0x10200073, 0x30200073, 0x10500073, 0x12000073]) {
    for (let i = 0; i < 8; i++) runOne(insn, CODE, i % 2 === 0);
  }
  // Compressed instructions, interrupts pending, and 32-bit instructions straddling a page.
  for (let i = 0; i < 4000; i++) runOne(next() & 0xffff & ~(next() % 4 === 0 ? 0 : 3 - (next() % 3)), CODE, false);
  for (let i = 0; i < 400; i++) runOne(0x00000013, CODE, true);
  for (let i = 0; i < 300; i++) {
    const op = OPCODES[next() % OPCODES.length]!;
    runOne(((FUNCT7[next() % FUNCT7.length]! << 25) | randomOperandBits() | ((next() % 8) << 12) | op) >>> 0, CODE + 0xffe, false);
  }
}
