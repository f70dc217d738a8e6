/**
 * `npm run bench:migrate`: live migration of a 256 MiB Linux guest over the Node worker_threads
 * MessagePort channel (src/transport; both ends in this thread, so the destination's loading
 * shares the CPU with the source), 5 migrations per workload:
 *
 *   idle         the guest sits at the shell prompt
 *   16 MiB/s     synthetic: the host marks 16 MiB/s of guest pages dirty (contents unchanged)
 *                while the guest runs, as a guest writing at that rate would
 *   rewrite      a guest awk program rebuilding 16 MiB strings as fast as it can (a working set
 *                of several tens of MiB; auto-converge throttles it)
 *
 * Reports downtime (median, max), total time, bytes sent, iterations, and the raw channel
 * bandwidth measured in the same run, with total time as a ratio to nonzero RAM / bandwidth.
 */
import { saveSnapshot } from '../src/machine/snapshot.ts';
import { PROMPT } from '../src/machine/testing/default-machine.ts';
import { snapshotMachine } from '../src/machine/testing/snapshot-machine.ts';
import type { VirtMachine } from '../src/machine/virt-machine.ts';
import { receiveMigration, startMigration, type DriverHooks } from '../src/migration/drive.ts';
import { machineDestinationHost, machineSourceVm } from '../src/migration/machine.ts';
import type { MigrationStats } from '../src/migration/stats.ts';
import { restoreLinux, typeLine } from '../src/migration/testing/linux-vm.ts';
import { testRestoreHost } from '../src/machine/testing/snapshot-machine.ts';
import { nodeChannelPair } from '../src/transport/node-worker.ts';
import { measureChannelBandwidth } from './transport.ts';
import { median } from './stats.ts';

const RUNS = 5;
const MiB = 1 << 20;
const PAGE = 4096;
const SLICE = 200_000;

const hooks: DriverHooks = { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
const tick = () => new Promise<void>((r) => setImmediate(r));

function nonzeroBytes(m: VirtMachine): number {
  const w = m.ram.i32;
  let n = 0;
  for (let p = 0; p < w.length; p += PAGE / 4) {
    for (let i = p; i < p + PAGE / 4; i++) {
      if (w[i] !== 0) {
        n++;
        break;
      }
    }
  }
  return n * PAGE;
}

interface Workload {
  readonly name: string;
  prepare?(m: VirtMachine): void;
  /** Extra work per guest slice (`ms` since the last slice). */
  afterSlice?(m: VirtMachine, ms: number): void;
}

let dirtyCursor = 0;
const workloads: Workload[] = [
  { name: 'idle' },
  {
    name: '16 MiB/s (synthetic dirtying)',
    afterSlice(m, ms) {
      const pages = Math.round(((16 * MiB) / PAGE) * (ms / 1000));
      const region = (64 * MiB) / PAGE;
      const first = (32 * MiB) / PAGE;
      for (let i = 0; i < pages; i++) m.ram.dirty[first + (dirtyCursor++ % region)] = 1;
    },
  },
  {
    name: 'rewrite (awk rebuilding 16 MiB strings)',
    prepare(m) {
      typeLine(m, `awk 'BEGIN{for(r=0;;r++){s="x" r; while(length(s)<16777216) s=s s}}'`);
      for (let i = 0; i < 60; i++) m.run(1_000_000);
    },
  },
];

async function migrateOnce(snapshot: Uint8Array, w: Workload): Promise<{ stats: MigrationStats; nonzero: number }> {
  const src = restoreLinux(snapshot);
  const m = src.machine;
  w.prepare?.(m);
  const nonzero = nonzeroBytes(m);
  const [a, b] = nodeChannelPair();
  const got = receiveMigration(b, machineDestinationHost(testRestoreHost()), {}, hooks);
  let last = performance.now();
  const run = startMigration(machineSourceVm(m), a, {}, {
    ...hooks,
    runGuest: async (throttle) => {
      m.run(Math.max(1000, Math.round(SLICE * (1 - throttle))));
      const now = performance.now();
      w.afterSlice?.(m, now - last);
      last = now;
      await tick();
    },
  });
  const stats = await run.done;
  const r = await got;
  a.close('done');
  if (stats.status !== 'completed' || !r.ok) throw new Error(`migration ${stats.status}: ${stats['error-desc'] ?? (r.ok ? '' : r.reason)}`);
  return { stats, nonzero };
}

async function main(): Promise<void> {
  process.stdout.write('booting a 256 MiB guest to the prompt (deterministic)...\n');
  const { machine, console } = snapshotMachine({ ramSize: 256 * MiB });
  console.runUntil(PROMPT, 3_000_000_000, 1_000_000);
  const snapshot = saveSnapshot(machine);
  const mbs = await measureChannelBandwidth(() => nodeChannelPair(), 256 * MiB);
  const bwBytesPerMs = (mbs * 1e6) / 1000;
  process.stdout.write(`raw channel bandwidth (worker_threads MessagePort, 1 MiB messages): ${mbs.toFixed(0)} MB/s\n`);
  // Warm-up migration (JIT), not counted.
  await migrateOnce(snapshot, workloads[0]!);
  for (const w of workloads) {
    const runs: { stats: MigrationStats; nonzero: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await migrateOnce(snapshot, w));
    const down = runs.map((r) => r.stats.downtime);
    const total = runs.map((r) => r.stats['total-time']);
    const ideal = median(runs.map((r) => r.nonzero / bwBytesPerMs));
    const s = runs[0]!.stats;
    process.stdout.write(
      `${w.name}: downtime median ${median(down).toFixed(1)} ms, max ${Math.max(...down).toFixed(1)} ms; ` +
        `total median ${median(total).toFixed(0)} ms (${(median(total) / ideal).toFixed(2)}x nonzero RAM / bandwidth = ${ideal.toFixed(0)} ms); ` +
        `sent median ${(median(runs.map((r) => r.stats.ram.transferred)) / MiB).toFixed(1)} MiB ` +
        `(nonzero RAM ${(median(runs.map((r) => r.nonzero)) / MiB).toFixed(1)} MiB); iterations ${runs.map((r) => r.stats.ram['dirty-sync-count']).join(',')}; ` +
        `throttle max ${Math.max(...runs.map((r) => r.stats['cpu-throttle-percentage']))}%; setup median ${median(runs.map((r) => r.stats['setup-time'])).toFixed(0)} ms` +
        `${s.status === 'completed' ? '' : ` (${s.status})`}\n`,
    );
  }
  process.exit(0);
}

void main();
