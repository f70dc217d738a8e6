/**
 * The block compiler against the interpreter on small hand-assembled programs: the same
 * registers, pc and instruction count after every slice, with code that loops, runs in odd
 * budgets, and is rewritten by the guest's own stores and by device DMA.
 */
import { describe, expect, it } from 'vitest';
import { Bus } from '../../bus/bus.ts';
import { Ram } from '../../bus/ram.ts';
import { encodeB, encodeI, encodeJ, encodeS } from '../../isa/encode.ts';
import { FS, MSTATUS } from '../../isa/csr.ts';
import { OP } from '../../isa/opcodes.ts';
import { Hart, type HartOptions } from '../hart.ts';

const BASE = 0x8000_0000;
const addi = (rd: number, rs1: number, imm: number) => encodeI(OP.OP_IMM, rd, 0, rs1, imm);
const xori = (rd: number, rs1: number, imm: number) => encodeI(OP.OP_IMM, rd, 4, rs1, imm);
const bne = (rs1: number, rs2: number, off: number) => encodeB(OP.BRANCH, 1, rs1, rs2, off);
const sw = (rs2: number, rs1: number, off: number) => encodeS(OP.STORE, 2, rs1, rs2, off);
const j = (off: number) => encodeJ(OP.JAL, 0, off);

function machine(program: number[], options: HartOptions): { hart: Hart; ram: Ram } {
  const ram = new Ram(BASE, 1 << 20);
  program.forEach((insn, i) => (ram.i32[i] = insn | 0));
  const hart = new Hart(new Bus(ram), { now: () => 0 }, undefined, options);
  hart.reset(BASE);
  return { hart, ram };
}

/** Runs both harts in slices of `slice` instructions and compares them after each. */
function lockstep(a: Hart, b: Hart, slices: number, slice: number, between?: (i: number) => void): void {
  for (let i = 0; i < slices; i++) {
    const ranA = a.run(slice);
    const ranB = b.run(slice);
    expect(ranB).toBe(ranA);
    expect([b.state.pcLo, b.state.instret]).toEqual([a.state.pcLo, a.state.instret]);
    expect(Array.from(b.state.x)).toEqual(Array.from(a.state.x));
    expect(b.state.mstatus).toBe(a.state.mstatus);
    between?.(i);
  }
}

describe('compiled blocks', () => {
  it('run a counting loop exactly as the interpreter, whatever the budget', () => {
    const program = [addi(5, 0, 1000), addi(6, 6, 3), addi(7, 6, -1), addi(5, 5, -1), bne(5, 0, -12), j(0)];
    for (const slice of [1, 7, 64, 1000]) {
      const interpreted = machine(program, { jit: false });
      const compiled = machine(program, { jitThreshold: 1 });
      lockstep(interpreted.hart, compiled.hart, Math.ceil(5000 / slice), slice);
      expect(compiled.hart.state.x[12]).toBe(3000);
      expect(compiled.hart.jit!.compiled).toBeGreaterThan(0);
    }
  });

  it('see the guest rewrite a compiled loop (the store goes to the code page through the slow path)', () => {
    // x8 = the loop's address, x9 = the instruction to store, x10 = what toggles it between
    // "x6 += 1" and "x6 += 2"; each round runs the loop 10 times, then patches it.
    const inc1 = addi(6, 6, 1);
    const inc2 = addi(6, 6, 2);
    const program = [
      addi(5, 0, 10), // 0x00
      inc1, // 0x04 L
      addi(5, 5, -1), // 0x08
      bne(5, 0, -8), // 0x0c
      sw(9, 8, 0), // 0x10 patch L
      encodeI(OP.OP, 9, 4, 9, 0) | (10 << 20), // 0x14 xor x9, x9, x10
      addi(5, 0, 10), // 0x18
      j(-0x18), // 0x1c back to L
    ];
    const setUp = (h: Hart) => {
      h.state.x[16] = BASE + 4;
      h.state.x[17] = 0;
      h.state.x[18] = inc2 | 0;
      h.state.x[20] = (inc1 ^ inc2) | 0;
    };
    const interpreted = machine(program, { jit: false });
    const compiled = machine(program, { jitThreshold: 1 });
    setUp(interpreted.hart);
    setUp(compiled.hart);
    lockstep(interpreted.hart, compiled.hart, 40, 97);
    // 40 slices of 97 instructions: 107 rounds of 36 instructions, alternating +2 and +1.
    expect(compiled.hart.state.x[12]).toBe(interpreted.hart.state.x[12]);
    expect(compiled.hart.state.x[12]).toBeGreaterThan(150 * 10);
    expect(compiled.hart.jit!.compiled).toBeGreaterThan(2);
  });

  it('see device DMA rewrite a compiled loop', () => {
    const program = [addi(6, 6, 1), j(-4)];
    const interpreted = machine(program, { jit: false });
    const compiled = machine(program, { jitThreshold: 1 });
    const patch = new Uint8Array(new Int32Array([xori(6, 6, 5)]).buffer);
    lockstep(interpreted.hart, compiled.hart, 6, 50, (i) => {
      if (i !== 2) return;
      interpreted.ram.write(BASE, patch);
      compiled.ram.write(BASE, patch);
    });
    // Three slices of 25 turns of "x6 += 1; j": 75; then 75 turns of "x6 ^= 5" (odd): 75 ^ 5.
    expect(compiled.hart.state.x[12]).toBe(75 ^ 5);
    expect(compiled.ram.code[0]).toBe(1);
  });

  it('leave mstatus.FS clean after FP stores, as the interpreter does (regression)', () => {
    // Linux saves the FP registers with FSD and then expects FS to read back as it left it.
    const program = [encodeS(OP.STORE_FP, 3, 8, 1, 0x100), addi(6, 6, 1), bne(6, 7, -8), j(0)];
    const set = (h: Hart) => {
      h.state.x[16] = BASE + 0x1000; // data on another page than the code
      h.state.x[14] = 50;
      h.state.mstatus = (h.state.mstatus & ~MSTATUS.FS) | (FS.CLEAN << 13);
    };
    const interpreted = machine(program, { jit: false });
    const compiled = machine(program, { jitThreshold: 1 });
    set(interpreted.hart);
    set(compiled.hart);
    lockstep(interpreted.hart, compiled.hart, 10, 33);
    expect((compiled.hart.state.mstatus & MSTATUS.FS) >>> 13).toBe(FS.CLEAN);
    expect(compiled.hart.jit!.compiled).toBeGreaterThan(0);
  });

  it('keep a code page out of the write TLB (stores to its data reach the slow path)', () => {
    // The loop stores into its own page; compiling the page must drop the store's TLB entry.
    const { hart } = machine([sw(0, 8, 0x100), addi(6, 6, 1), j(-8)], { jitThreshold: 1 });
    hart.state.x[16] = BASE;
    for (let i = 0; i < 20; i++) {
      hart.run(7);
      const mapped = Array.from(hart.wtlb.tagLo).some((t, k) => t === (BASE | 0) && hart.wtlb.off[k] === 0);
      expect(hart.bus.ram.code[0] === 1 && mapped).toBe(false);
    }
    expect(hart.jit!.compiled).toBeGreaterThan(0);
  });
});
