/**
 * JIT warm-up for the interpreter's block-cache path (see ../warmup.ts for why warm-up exists):
 * a throwaway hart compiles and runs a dozen small loops, so that the path that looks blocks
 * up, compiles them, calls many different block functions and handles side exits has type
 * feedback before a boot needs it. Without it the interpreter was deoptimized ("wrong call
 * target", "wrong map") once for each new situation during the first boot.
 */
import { Bus } from '../../bus/bus.ts';
import { Ram } from '../../bus/ram.ts';
import { CSR, MSTATUS } from '../../isa/csr.ts';
import { encodeB, encodeI, encodeJ, encodeR, encodeS, encodeU } from '../../isa/encode.ts';
import { OP } from '../../isa/opcodes.ts';
import { Hart } from '../hart.ts';

const RAM_BASE = 0x8000_0000;
const DATA = 0x8000; // offset of a data page, its address in x8

/** Loop bodies: each becomes its own block (distinct call targets), some with side exits. */
function bodies(): number[][] {
  const ld = (rd: number, f3: number, off: number) => encodeI(OP.LOAD, rd, f3, 8, off);
  const st = (rs: number, f3: number, off: number) => encodeS(OP.STORE, f3, 8, rs, off);
  return [
    [encodeI(OP.OP_IMM, 6, 0, 6, 1), encodeR(OP.OP, 7, 0, 6, 5, 0)],
    [ld(7, 3, 8), st(7, 3, 16), encodeI(OP.OP_IMM, 7, 1, 7, 3)],
    [ld(7, 2, 0x800), ld(9, 4, 3), st(9, 0, 5)],
    [encodeR(OP.OP, 7, 0, 6, 5, 1), encodeR(OP.OP, 9, 4, 7, 5, 1), encodeR(OP.OP_32, 9, 0, 9, 6, 0)],
    [encodeU(OP.AUIPC, 7, 0x1000), encodeU(OP.LUI, 9, 0x12345000), encodeR(OP.OP, 9, 1, 9, 5, 0)],
    [encodeI(OP.SYSTEM, 7, 2, 0, CSR.MSCRATCH), encodeI(OP.OP_IMM, 6, 4, 6, 5)],
    [encodeI(OP.LOAD_FP, 1, 3, 8, 0), encodeR(OP.OP_FP, 2, 7, 1, 1, 0x01), encodeS(OP.STORE_FP, 3, 8, 2, 24)],
    [encodeI(OP.OP_IMM_32, 7, 0, 6, -3), encodeR(OP.OP, 9, 5, 7, 6, 0x20), st(9, 2, 32)],
    [ld(7, 1, 2), ld(9, 5, 6), encodeR(OP.OP, 9, 3, 7, 9, 0)],
    [encodeI(OP.OP_IMM, 7, 5, 6, 0x403), encodeI(OP.OP_IMM, 9, 7, 7, 255), st(9, 1, 40)],
    [ld(7, 2, 1), encodeI(OP.OP_IMM, 6, 6, 6, 8)], // misaligned: always a side exit
    [encodeR(OP.OP, 7, 6, 6, 5, 1), encodeR(OP.OP, 9, 7, 7, 5, 0)],
  ];
}

let done = false;

export function warmUpBlockPath(): void {
  if (done) return;
  done = true;
  const ram = new Ram(RAM_BASE, 1 << 20);
  const hart = new Hart(new Bus(ram), { now: () => 0 }, undefined, { jitThreshold: 2 });
  // Each loop: x5 = 30; body; x5 -= 1; bne x5, x0, body. Then on to the next; the last jumps back.
  const code: number[] = [];
  for (const body of bodies()) {
    code.push(encodeI(OP.OP_IMM, 5, 0, 0, 30), ...body, encodeI(OP.OP_IMM, 5, 0, 5, -1));
    code.push(encodeB(OP.BRANCH, 1, 5, 0, -4 * (body.length + 1)));
  }
  code.push(encodeJ(OP.JAL, 0, -4 * code.length));
  code.forEach((insn, i) => (ram.i32[i] = insn | 0));
  hart.reset(RAM_BASE);
  hart.state.mstatus |= MSTATUS.FS;
  for (const budget of [1, 3, 7, 50, 1000, 20_000, 20_000, 20_000]) {
    hart.state.x[16] = RAM_BASE + DATA;
    hart.state.x[17] = 0;
    hart.run(budget);
  }
}
