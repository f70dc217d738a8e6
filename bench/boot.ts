/**
 * Boot benchmark: guest instructions from reset to the first shell prompt, wall time to the
 * prompt and MIPS during boot, median of 5 boots of the default images (deterministic mode, so
 * every boot runs the same instructions).
 */
import { defaultMachine, PROMPT } from '../src/machine/testing/default-machine.ts';
import { median } from './stats.ts';

export function bootBench(runs = 5): void {
  const times: number[] = [];
  let instructions = 0;
  for (let i = 0; i < runs; i++) {
    const { machine, console } = defaultMachine();
    const t0 = performance.now();
    console.runUntil(PROMPT, 3_000_000_000, 1_000_000);
    const ms = performance.now() - t0;
    instructions = machine.hart.state.instret;
    times.push(ms);
    process.stdout.write(`  boot ${i + 1}: ${ms.toFixed(0)} ms to the prompt, ${(instructions / ms / 1000).toFixed(1)} MIPS\n`);
  }
  const ms = median(times);
  process.stdout.write(
    `boot: ${(instructions / 1e6).toFixed(1)} M guest instructions from reset to the prompt, median ${ms.toFixed(0)} ms, ` +
      `${(instructions / ms / 1000).toFixed(1)} MIPS during boot (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)} ms, ${runs} boots)\n`,
  );
}
