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
import { rehearseStopAndCopy } from './stream/index.ts';
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
 * Builds the destination machine with the restore host's images and backends, and rehearses
 * the stop-and-copy on it (stream/rehearse.ts) so that the pause does not run cold code.
 */
export function machineDestinationHost(host: RestoreHost): DestinationHost<VirtMachine> {
  return {
    build: (config) => {
      const r = prepareRestore(config, host);
      if ('refuse' in r) return r;
      const sections = [...r.target.sections];
      rehearseStopAndCopy(sections, config.machine);
      return { machine: r.machine, target: { ...r.target, sections } };
    },
  };
}
