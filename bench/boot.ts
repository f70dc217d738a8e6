/**
 * Boot benchmark: guest instructions from reset to the first shell prompt, wall time to the
 * prompt (building the machine included: image loading and, in the first boot of the process,
 * the interpreter's JIT warm-up) and MIPS during boot; median of 5 boots of the default images in
 * deterministic mode, so every boot runs the same instructions. CPU-time figures beside them, as
 * in the CPU benchmark.
 */
import { defaultMachine, PROMPT } from '../src/machine/testing/default-machine.ts';
import { median, timed } from './stats.ts';

export function bootBench(runs = 5): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  let instructions = 0;
  for (let i = 0; i < runs; i++) {
    const { result: machine, wallMs, cpuMs } = timed(() => {
      const { machine, console } = defaultMachine();
      console.runUntil(PROMPT, 3_000_000_000, 1_000_000);
      return machine;
    });
    instructions = machine.hart.state.instret;
    wall.push(wallMs);
    cpu.push(cpuMs);
    process.stdout.write(`  boot ${i + 1}: ${wallMs.toFixed(0)} ms wall to the prompt (${(instructions / wallMs / 1000).toFixed(1)} MIPS), ${cpuMs.toFixed(0)} ms CPU\n`);
  }
  const ms = median(wall);
  const cms = median(cpu);
  process.stdout.write(
    `boot: ${(instructions / 1e6).toFixed(1)} M guest instructions from reset to the prompt; median wall ${ms.toFixed(0)} ms = ` +
      `${(instructions / ms / 1000).toFixed(1)} MIPS, median CPU time ${cms.toFixed(0)} ms = ${(instructions / cms / 1000).toFixed(1)} MIPS ` +
      `(wall min ${Math.min(...wall).toFixed(0)}, max ${Math.max(...wall).toFixed(0)} ms, ${runs} boots)\n`,
  );
}
