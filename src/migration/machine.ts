/**
 * The engine's view of the `virt` machine: a `SourceVm` over a running VirtMachine (its RAM,
 * the dirty map every guest store and DMA write marks, the snapshot layer's configuration,
 * blockers and sections) and a `DestinationHost` that builds an unbooted machine from the
 * stream's configuration through the snapshot layer's `prepareRestore` (refusing with its
 * reason: RAM, images, versions).
 *
 * A machine the source released is marked moved: `isMoved(m)` is true and hosts must never
 * run it again (the destination owns the guest now).
 */
import { machineConfiguration, machineStateList, migrationBlockers, prepareRestore, type RestoreHost } from '../machine/snapshot.ts';
import type { VirtMachine } from '../machine/virt-machine.ts';
import type { DestinationHost } from './destination.ts';
import { rehearseStopAndCopy, type LoadTarget, type Refusal, type StreamConfiguration } from './stream/index.ts';
import type { SourceVm } from './source.ts';

const moved = new WeakSet<VirtMachine>();

/** True once a migration moved `m` away: it must not run again. */
export function isMoved(m: VirtMachine): boolean {
  return moved.has(m);
}

export function machineSourceVm(m: VirtMachine): SourceVm {
  if (moved.has(m)) throw new Error('this machine was migrated away; it cannot migrate again');
  return {
    ram: m.ram.u8,
    dirty: m.ram.dirty,
    written: m.ram.written,
    configuration: () => machineConfiguration(m),
    blockers: () => migrationBlockers(m),
    sections: () => machineStateList(m).sections,
    release: () => {
      moved.add(m);
    },
  };
}

/**
 * A destination machine built before the migration starts, as QEMU's destination is started
 * with `-incoming` (the same machine, RAM allocated) before `migrate` runs on the source: the
 * build, the stop-and-copy rehearsal and, with `prefault`, the first touch of every RAM page
 * (QEMU's -mem-prealloc; fresh memory costs a page fault per page, bench/first-touch.ts) are
 * paid here instead of inside the migration. `machineDestinationHost` uses it for a stream
 * whose configuration describes the same machine, and builds afresh for any other.
 */
export interface PreparedDestination {
  readonly machine: VirtMachine;
  readonly target: LoadTarget;
  /** The configuration's `machine` as JSON text, to match an incoming stream against. */
  readonly machineKey: string;
  readonly ramSize: number;
}

export function prepareDestination(
  config: StreamConfiguration,
  host: RestoreHost,
  options: { prefault?: boolean } = {},
): PreparedDestination | Refusal {
  const r = buildAndRehearse(config, host);
  if ('refuse' in r) return r;
  // Writing zeros over zeros changes nothing but makes the kernel map every page now.
  if (options.prefault === true) r.machine.ram.u8.fill(0);
  return { machine: r.machine, target: r.target, machineKey: JSON.stringify(config.machine), ramSize: config.ramSize };
}

/**
 * Builds the destination machine with the restore host's images and backends, and rehearses
 * the stop-and-copy on it (stream/rehearse.ts) so that the pause does not run cold code. A
 * `prepared` machine is used (once) for a stream describing the same machine.
 */
export function machineDestinationHost(host: RestoreHost, prepared?: PreparedDestination): DestinationHost<VirtMachine> {
  let spare = prepared;
  return {
    build: (config) => {
      if (spare !== undefined && spare.ramSize === config.ramSize && spare.machineKey === JSON.stringify(config.machine)) {
        const { machine, target } = spare;
        spare = undefined;
        return { machine, target };
      }
      return buildAndRehearse(config, host);
    },
  };
}

function buildAndRehearse(config: StreamConfiguration, host: RestoreHost): { machine: VirtMachine; target: LoadTarget } | Refusal {
  const r = prepareRestore(config, host);
  if ('refuse' in r) return r;
  const sections = [...r.target.sections];
  rehearseStopAndCopy(sections, config.machine);
  return { machine: r.machine, target: { ...r.target, sections } };
}
