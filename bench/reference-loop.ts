/**
 * The host-speed reference for the CPU benchmark: REFERENCE.md's best-case interpreter loop,
 * "a 6-instruction RV64 loop, registers as pairs of 32-bit ints", measured there at 165–264
 * MIPS on this machine kind. It runs in the same process as the benchmark, so the ratio
 * tabvm MIPS / reference MIPS stays comparable when the shared machine is slower or faster.
 *
 * The loop (pre-decoded, no fetch, no MMU, no interrupts):
 *   loop: addi a0, a0, 1 ; add a1, a1, a0 ; xor a2, a2, a1 ; slli a3, a1, 3 ; addi a4, a4, -1 ; bne a4, zero, loop
 */
const enum Op {
  ADDI,
  ADD,
  XOR,
  SLLI,
  BNE,
}

/** [op, rd, rs1, rs2, imm] per instruction; registers are x-indices. */
const PROGRAM: readonly (readonly [Op, number, number, number, number])[] = [
  [Op.ADDI, 10, 10, 0, 1],
  [Op.ADD, 11, 11, 10, 0],
  [Op.XOR, 12, 12, 11, 0],
  [Op.SLLI, 13, 11, 0, 3],
  [Op.ADDI, 14, 14, 0, -1],
  [Op.BNE, 0, 14, 0, -5],
];

/** Runs the loop `iterations` times; returns the instructions executed and a checksum of a2. */
function runLoop(iterations: number): { instructions: number; checksum: number } {
  const x = new Int32Array(64);
  const ops = Int32Array.from(PROGRAM.map((p) => p[0]));
  const rd = Int32Array.from(PROGRAM.map((p) => p[1] * 2));
  const r1 = Int32Array.from(PROGRAM.map((p) => p[2] * 2));
  const r2 = Int32Array.from(PROGRAM.map((p) => p[3] * 2));
  const imm = Int32Array.from(PROGRAM.map((p) => p[4]));
  x[28] = iterations; // a4 (x14), low word
  let pc = 0;
  let n = 0;
  for (;;) {
    const d = rd[pc]!;
    const a = r1[pc]!;
    const i = imm[pc]!;
    n++;
    switch (ops[pc]) {
      case Op.ADDI: {
        const lo = (x[a]! + i) | 0;
        x[d + 1] = (x[a + 1]! + (i >> 31) + ((lo >>> 0) < (x[a]! >>> 0) ? 1 : 0)) | 0;
        x[d] = lo;
        break;
      }
      case Op.ADD: {
        const b = r2[pc]!;
        const lo = (x[a]! + x[b]!) | 0;
        x[d + 1] = (x[a + 1]! + x[b + 1]! + ((lo >>> 0) < (x[a]! >>> 0) ? 1 : 0)) | 0;
        x[d] = lo;
        break;
      }
      case Op.XOR: {
        const b = r2[pc]!;
        x[d] = x[a]! ^ x[b]!;
        x[d + 1] = x[a + 1]! ^ x[b + 1]!;
        break;
      }
      case Op.SLLI:
        x[d + 1] = (x[a + 1]! << i) | (x[a]! >>> (32 - i));
        x[d] = x[a]! << i;
        break;
      default: {
        const b = r2[pc]!;
        if (x[a] !== x[b] || x[a + 1] !== x[b + 1]) {
          pc += i;
          continue;
        }
        return { instructions: n, checksum: x[24]! ^ x[25]! };
      }
    }
    x[0] = 0;
    x[1] = 0;
    pc++;
  }
}

/** MIPS of the reference loop: median of `runs` runs of ~60 M instructions, after a warm-up. */
export function referenceMips(runs = 5): number {
  runLoop(1_000_000);
  const mips: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const { instructions } = runLoop(10_000_000);
    if (instructions !== 6 * 10_000_000) throw new Error(`reference loop ran ${instructions} instructions, expected 60 M`);
    mips.push(instructions / (performance.now() - t0) / 1000);
  }
  mips.sort((a, b) => a - b);
  return mips[runs >> 1]!;
}
