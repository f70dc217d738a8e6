/**
 * Snapshot benchmark: a 256 MiB VM booted to the shell prompt (deterministic mode, idle): the
 * snapshot's size, and save and restore times (median of 5). Targets (issue 4): save and restore
 * each under 100 ms, an idle VM's snapshot under 16 MiB before compression.
 */
import { restoreSnapshot, saveSnapshot } from '../src/machine/snapshot.ts';
import { PROMPT } from '../src/machine/testing/default-machine.ts';
import { snapshotMachine, testRestoreHost } from '../src/machine/testing/snapshot-machine.ts';
import { median } from './stats.ts';

export function snapshotBench(runs = 5): void {
  const { machine, console } = snapshotMachine();
  console.runUntil(PROMPT, 3_000_000_000, 1_000_000);
  machine.run(5_000_000); // idle at the prompt for a while
  const host = testRestoreHost();
  const saves: number[] = [];
  const restores: number[] = [];
  const saveCpu: number[] = [];
  const restoreCpu: number[] = [];
  // The machine is shared: CPU time of this process is reported beside wall time.
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  let bytes: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    bytes = saveSnapshot(machine);
    saves.push(performance.now() - t0);
    saveCpu.push(cpuMs(process.cpuUsage(c0)));
    t0 = performance.now();
    c0 = process.cpuUsage();
    const copy = restoreSnapshot(bytes, host);
    restores.push(performance.now() - t0);
    restoreCpu.push(cpuMs(process.cpuUsage(c0)));
    if (copy.hart.state.instret !== machine.hart.state.instret) throw new Error('restored machine differs');
  }
  const ms = (v: number[]) => `median ${median(v).toFixed(0)} ms (min ${Math.min(...v).toFixed(0)}, max ${Math.max(...v).toFixed(0)})`;
  process.stdout.write(
    `snapshot: ${machine.config.ramSize / 2 ** 20} MiB VM idle at the prompt: ${(bytes.length / 2 ** 20).toFixed(1)} MiB ` +
      `(target < 16), save ${ms(saves)} [CPU median ${median(saveCpu).toFixed(0)} ms], restore ${ms(restores)} ` +
      `[CPU median ${median(restoreCpu).toFixed(0)} ms] (targets < 100 ms, ${runs} runs)\n`,
  );
}
