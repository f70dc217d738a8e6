/**
 * Micro-benchmark of execFp on its common path: `npx tsx bench/fp.ts`.
 * Prints ns per instruction for fadd.d, fmul.d, fdiv.d, fsqrt.d, fmadd.d (RNE, normal operands)
 * and a few others, including the cost of loading fresh operands each iteration (the
 * "operand load only" line is that overhead alone).
 */
import { execFp } from '../src/core/cpu/fp/index.ts';

const host = { performance, console };

const x = new Int32Array(64);
const f = new Int32Array(64);
const fd = new Float64Array(f.buffer);
const fs = new Float32Array(f.buffer);

const N = 1 << 12;
const A = new Float64Array(N);
const B = new Float64Array(N);
const C = new Float64Array(N);
let seed = 0x2545f491;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}
/** A random double in [0, 1) with a full 53-bit significand, so sums and products are inexact. */
function random53(): number {
  return (Math.floor(random() * 2 ** 26) * 2 ** 27 + Math.floor(random() * 2 ** 27)) / 2 ** 53;
}
for (let i = 0; i < N; i++) {
  A[i] = (1 + random53()) * (random() < 0.5 ? -1 : 1) * 2 ** Math.floor(random() * 20 - 10);
  B[i] = (1 + random53()) * 2 ** Math.floor(random() * 20 - 10);
  C[i] = (1 + random53()) * (random() < 0.5 ? -1 : 1) * 2 ** Math.floor(random() * 20 - 10);
}

const OP_FP = 0x53;
const MADD = 0x43;
const FMT_D = 1;
const FMT_S = 0;
function opFp(funct5: number, fmt: number, rm: number): number {
  return (funct5 << 27) | (fmt << 25) | (2 << 20) | (1 << 15) | (rm << 12) | (4 << 7) | OP_FP;
}
function fma(fmt: number): number {
  return (3 << 27) | (fmt << 25) | (2 << 20) | (1 << 15) | (4 << 7) | MADD;
}

function run(insn: number, iterations: number, single: boolean): number {
  let sink = 0;
  for (let i = 0; i < iterations; i++) {
    const k = i & (N - 1);
    if (single) {
      fs[2] = A[k];
      fs[4] = B[k];
      fs[6] = C[k];
    } else {
      fd[1] = A[k];
      fd[2] = B[k];
      fd[3] = C[k];
    }
    if (insn !== 0) sink += execFp(x, f, fd, fs, insn, 0);
  }
  return sink;
}

function measure(name: string, insn: number, single = false): void {
  // Single registers must be NaN-boxed; the loop writes only the low words.
  for (let r = 1; r <= 3; r++) f[2 * r + 1] = single ? -1 : f[2 * r + 1];
  const iterations = 5_000_000;
  run(insn, iterations / 10, single); // warm-up
  let best = Infinity;
  let flags = 0;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = host.performance.now();
    flags = run(insn, iterations, single);
    const dt = host.performance.now() - t0;
    best = Math.min(best, (dt * 1e6) / iterations);
  }
  host.console.log(`${name.padEnd(22)} ${best.toFixed(2).padStart(7)} ns/op   (flags seen: ${flags !== 0})`);
}

/** Host speed reference: a loop doing one double multiply-add per iteration. */
function calibrate(): void {
  let best = Infinity;
  let sink = 0;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = host.performance.now();
    for (let i = 0; i < 20_000_000; i++) sink += A[i & (N - 1)] * B[i & (N - 1)];
    best = Math.min(best, ((host.performance.now() - t0) * 1e6) / 20_000_000);
  }
  host.console.log(`${'host a*b+s loop'.padEnd(22)} ${best.toFixed(2).padStart(7)} ns/iter (sink sign ${Math.sign(sink)})`);
}

calibrate();
measure('operand load only', 0);
measure('fadd.d', opFp(0x00, FMT_D, 0));
measure('fmul.d', opFp(0x02, FMT_D, 0));
measure('fdiv.d', opFp(0x03, FMT_D, 0));
// fsqrt.d reads rs1 = 2 (the positive operand B).
measure('fsqrt.d', (opFp(0x0b, FMT_D, 0) & ~(31 << 20) & ~(31 << 15)) | (2 << 15));
measure('fmadd.d', fma(FMT_D));
measure('fadd.d rtz', opFp(0x00, FMT_D, 1));
measure('fmadd.d rdn', fma(FMT_D) | (2 << 12));
measure('fadd.s', opFp(0x00, FMT_S, 0), true);
measure('fmul.s', opFp(0x02, FMT_S, 0), true);
measure('fmadd.s', fma(FMT_S), true);
measure('fle.d', opFp(0x14, FMT_D, 0));
measure('fcvt.w.d rtz', (0x18 << 27) | (FMT_D << 25) | (1 << 15) | (1 << 12) | (4 << 7) | OP_FP);
