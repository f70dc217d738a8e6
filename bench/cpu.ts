/**
 * `npm run bench`: the CPU benchmark. Runs bench/guest/bench.elf (integer, memory and FP kernels
 * in U-mode under Sv39) on the bare-metal board, checks its checksums against the native build's
 * (bench/guest/expected.txt), and prints guest instructions, wall time and MIPS: median of 5,
 * after one untimed run (steady state, not the JIT's tier-up), for the hart as configured
 * everywhere (hot blocks compiled to JavaScript) and for the interpreter alone.
 *
 * The development machine is shared: beside wall-clock MIPS it prints MIPS over this process's
 * own CPU time (user + system), which is what an idle machine would give, as a second figure,
 * and the MIPS of a host-speed reference loop run in the same process before and after
 * (reference-loop.ts: REFERENCE.md's 165–264 MIPS loop), with the ratio of the two.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HartOptions } from '../src/core/cpu/hart.ts';
import { runTohostElf } from '../src/machine/bare-metal.ts';
import { referenceMips } from './reference-loop.ts';
import { median, timed } from './stats.ts';

const RUNS = 5;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface EngineRun {
  mips: number;
  cpuMips: number;
  ms: number;
  instructions: number;
  wall: number[];
}

/** One untimed run, then RUNS timed ones, of the benchmark guest with these hart options. */
function runEngine(name: string, elf: Uint8Array, expected: string, hart: HartOptions): EngineRun {
  // One untimed run first: V8 tiers the interpreter up (and re-optimizes it once or twice)
  // during the first run or two, which measured 15-25% slower than the steady state after.
  runTohostElf(elf, { maxInstructions: 2_000_000_000, hart });
  const wall: number[] = [];
  const cpu: number[] = [];
  let instructions = 0;
  for (let i = 0; i < RUNS; i++) {
    const { result: r, wallMs, cpuMs } = timed(() => runTohostElf(elf, { maxInstructions: 2_000_000_000, hart }));
    if (r.status !== 'pass') throw new Error(`benchmark guest did not pass: ${r.status} ${r.testCase ?? ''}\n${r.output}`);
    if (r.output.trim() !== expected) throw new Error(`checksums differ from the native build:\n${r.output}\nexpected:\n${expected}`);
    instructions = r.instructions;
    wall.push(wallMs);
    cpu.push(cpuMs);
    process.stdout.write(`  ${name} run ${i + 1}: ${wallMs.toFixed(0)} ms wall (${(r.instructions / wallMs / 1000).toFixed(1)} MIPS), ${cpuMs.toFixed(0)} ms CPU (${(r.instructions / cpuMs / 1000).toFixed(1)} MIPS)\n`);
  }
  const ms = median(wall);
  return { mips: instructions / ms / 1000, cpuMips: instructions / median(cpu) / 1000, ms, instructions, wall };
}

export function cpuBench(): void {
  const elf = readFileSync(here('./guest/bench.elf'));
  const expected = readFileSync(here('./guest/expected.txt'), 'utf8').trim();
  const refBefore = referenceMips();
  // The hart as it runs everywhere (hot blocks compiled, core/cpu/jit), and the interpreter
  // alone, in the same process so that the ratio holds however fast the machine is today.
  const compiled = runEngine('blocks', elf, expected, {});
  const interpreted = runEngine('interpreter', elf, expected, { jit: false });
  const ref = (refBefore + referenceMips()) / 2;
  const line = (name: string, e: EngineRun) =>
    `cpu (${name}): ${e.instructions} guest instructions (checksums match the native build), median wall ${e.ms.toFixed(0)} ms = ${e.mips.toFixed(1)} MIPS, ` +
    `median CPU time = ${e.cpuMips.toFixed(1)} MIPS (wall min ${Math.min(...e.wall).toFixed(0)}, max ${Math.max(...e.wall).toFixed(0)} ms, ${RUNS} runs); ` +
    `tabvm / reference = ${(e.mips / ref).toFixed(3)}\n`;
  process.stdout.write(
    line('hot blocks compiled, the default', compiled) +
      line('interpreter only', interpreted) +
      `  host-speed reference loop in this process: ${ref.toFixed(0)} MIPS (REFERENCE.md: 165–264); compiled / interpreted = ${(compiled.mips / interpreted.mips).toFixed(2)}\n`,
  );
}
