/**
 * Linux VMs for migration tests (Node-only: through the machine's test helpers it reads the
 * images from public/). A booted machine is captured once as snapshot bytes and restored as
 * often as a test needs; every machine records the run budgets it was given and what it
 * printed, so a migrated run can be replayed on a reference that never migrated.
 */
import { machineConfiguration, machineStateList, prepareRestore, restoreSnapshot, saveSnapshot } from '../../machine/snapshot.ts';
import { saveStreamBytes } from '../stream/index.ts';
import { PROMPT } from '../../machine/testing/default-machine.ts';
import { snapshotMachine, testRestoreHost } from '../../machine/testing/snapshot-machine.ts';
import type { VirtMachine } from '../../machine/virt-machine.ts';
import type { MigrationChannel } from '../channel.ts';
import type { DestinationHost } from '../destination.ts';
import { receiveMigration, startMigration, type DriverHooks } from '../drive.ts';
import { machineSourceVm } from '../machine.ts';

export const MiB = 1 << 20;

/** A machine and what it printed (Latin-1). */
export interface LinuxVm {
  readonly machine: VirtMachine;
  readonly out: number[];
}

export function text(bytes: readonly number[]): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Snapshot bytes of a deterministic machine of `ramMiB` at `instructions` into the boot, and at the first prompt. */
export function bootSnapshots(ramMiB: number, midBootInstructions: number): { midBoot: Uint8Array; prompt: Uint8Array } {
  const { machine, console } = snapshotMachine({ ramSize: ramMiB * MiB });
  while (machine.hart.state.instret < midBootInstructions) machine.run(1_000_000);
  const midBoot = saveSnapshot(machine);
  console.runUntil(PROMPT, 3_000_000_000, 1_000_000);
  return { midBoot, prompt: saveSnapshot(machine) };
}

export function restoreLinux(bytes: Uint8Array): LinuxVm {
  const host = testRestoreHost();
  return { machine: restoreSnapshot(bytes, host), out: host.output };
}

/** Runs the budgets in order (each one `machine.run(budget)`). */
export function runBudgets(m: VirtMachine, budgets: readonly number[]): void {
  for (const b of budgets) m.run(b);
}

/** Types a line on the console (all of it must fit the input buffer). */
export function typeLine(m: VirtMachine, line: string): void {
  const bytes = Uint8Array.from(line + '\n', (c) => c.charCodeAt(0) & 0xff);
  if (m.consoleInput(bytes) !== bytes.length) throw new Error('console input full');
}

/** Runs in steps of `step` until `needle` appears in the output after `from`; returns instructions used. */
export function runUntilText(vm: LinuxVm, needle: string, from: number, max = 2_000_000_000, step = 1_000_000): number {
  let ran = 0;
  while (!text(vm.out.slice(from)).includes(needle)) {
    if (ran >= max) throw new Error(`"${needle}" did not appear within ${ran} instructions: ${JSON.stringify(text(vm.out.slice(-200)))}`);
    ran += vm.machine.run(step).consumed;
  }
  return ran;
}

export interface RecordingDestination extends DestinationHost<VirtMachine> {
  /** Every machine built, with its console output. */
  readonly built: LinuxVm[];
  readonly discarded: VirtMachine[];
  /** The built VM of `machine`. */
  vmOf(machine: VirtMachine): LinuxVm;
}

/** A destination host with the default images that records what it built and discarded. */
export function recordingDestination(refuse?: string): RecordingDestination {
  const built: LinuxVm[] = [];
  const discarded: VirtMachine[] = [];
  return {
    built,
    discarded,
    build(config) {
      if (refuse !== undefined) return { refuse };
      const host = testRestoreHost();
      const r = prepareRestore(config, host);
      if ('machine' in r) built.push({ machine: r.machine, out: host.output });
      return r;
    },
    discard(m) {
      discarded.push(m);
    },
    vmOf(machine) {
      const vm = built.find((b) => b.machine === machine);
      if (!vm) throw new Error('not built here');
      return vm;
    },
  };
}

/**
 * Full machine state (every section and every page of RAM) as bytes, for equality checks. Not
 * `saveSnapshot`: that leaves out never-written pages, which depends on Ram.written, derived
 * state that two machines in the same architectural state may hold differently.
 */
export function stateBytes(m: VirtMachine): Uint8Array {
  const { sections } = machineStateList(m);
  const r = saveStreamBytes({ blockers: [], ramBytes: m.ram.u8, machine: machineConfiguration(m, sections), sections });
  if (!r.ok) throw new Error('unreachable: no blockers given');
  return r.bytes;
}

export function firstDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * Migrates a Linux VM restored from `snapshot` (at the prompt, a `sleep 1` pending) over
 * `pair` with the async drivers; returns the source, its statistics, the receive result and
 * the destination host.
 */
export async function migrateLinuxOver(pair: [MigrationChannel, MigrationChannel], snapshot: Uint8Array, hooks: DriverHooks) {
  const src = restoreLinux(snapshot);
  typeLine(src.machine, 'sleep 1; echo WO""KE');
  runBudgets(src.machine, [5_000_000]);
  const dest = recordingDestination();
  const got = receiveMigration(pair[1], dest, {}, hooks);
  const stats = await startMigration(machineSourceVm(src.machine), pair[0], {}, { ...hooks, runGuest: () => void src.machine.run(200_000) }).done;
  const r = await got;
  pair[0].close('done');
  return { src, stats, r, dest };
}
