/**
 * `npm run bench`: the CPU benchmark. Runs bench/guest/bench.elf (integer, memory and FP kernels
 * in U-mode under Sv39) on the bare-metal board, checks its checksums against the native build's
 * (bench/guest/expected.txt), and prints guest instructions, wall time and MIPS: median of 5.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runTohostElf } from '../src/machine/bare-metal.ts';
import { median } from './stats.ts';

const RUNS = 5;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));


export function cpuBench(): void {
  const elf = readFileSync(here('./guest/bench.elf'));
  const expected = readFileSync(here('./guest/expected.txt'), 'utf8').trim();
  const times: number[] = [];
  let instructions = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = runTohostElf(elf, { maxInstructions: 2_000_000_000 });
    const ms = performance.now() - t0;
    if (r.status !== 'pass') throw new Error(`benchmark guest did not pass: ${r.status} ${r.testCase ?? ''}\n${r.output}`);
    if (r.output.trim() !== expected) throw new Error(`checksums differ from the native build:\n${r.output}\nexpected:\n${expected}`);
    instructions = r.instructions;
    times.push(ms);
    process.stdout.write(`  run ${i + 1}: ${ms.toFixed(0)} ms, ${(r.instructions / ms / 1000).toFixed(1)} MIPS\n`);
  }
  const ms = median(times);
  process.stdout.write(
    `cpu: ${instructions} guest instructions, median wall ${ms.toFixed(0)} ms, median ${(instructions / ms / 1000).toFixed(1)} MIPS ` +
      `(min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms, ${RUNS} runs)\n`,
  );
}

