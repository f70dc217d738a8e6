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
import { rehearseStopAndCopy, TARGET_PAGE_SIZE, type JsonValue, type LoadTarget, type RehearsalScope, type Refusal, type StreamConfiguration } from './stream/index.ts';
import { validRamSize } from './stream/config.ts';
import { collectSet, orInto } from '../lib/page-map.ts';
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

/**
 * What a source tells a destination before the migration starts, so that it can prepare: the
 * RAM size and the machine description the stream's configuration will carry, and which pages
 * the first pass may send (one byte per page, nonzero where the source's RAM may be nonzero:
 * written or dirty; the others are known zero and never sent).
 */
export type MigrationAnnouncement = Pick<StreamConfiguration, 'ramSize' | 'machine'> & { readonly pages?: Uint8Array };

export function migrationAnnouncement(m: VirtMachine): MigrationAnnouncement {
  const pages = m.ram.written.slice();
  orInto(pages, m.ram.dirty);
  return { ramSize: m.ram.size, machine: machineConfiguration(m), pages };
}

/** An announcement from another tab is untrusted: its shape is checked here, its contents by the build. */
export function parseAnnouncement(a: unknown): MigrationAnnouncement | Refusal {
  if (typeof a !== 'object' || a === null) return { refuse: 'the announced machine is not an object' };
  const { ramSize, machine, pages } = a as { ramSize?: unknown; machine?: unknown; pages?: unknown };
  if (!validRamSize(ramSize)) return { refuse: `the announced RAM size ${String(ramSize)} is not valid` };
  if (typeof machine !== 'object' || machine === null || Array.isArray(machine)) return { refuse: 'the announced machine description is not an object' };
  if (pages !== undefined && !(pages instanceof Uint8Array && pages.length * TARGET_PAGE_SIZE === ramSize)) {
    return { refuse: `the announced page map is not one byte for each of the ${ramSize / TARGET_PAGE_SIZE} pages` };
  }
  return { ramSize, machine: machine as JsonValue, pages };
}

/**
 * Builds and rehearses the announced machine; with `prefault`, first-touches the RAM pages the
 * announcement says the stream may send (every page if it does not say).
 */
export function prepareDestination(config: MigrationAnnouncement, host: RestoreHost, options: { prefault?: boolean } = {}): PreparedDestination | Refusal {
  const r = buildAndRehearse(config, host, 'ahead');
  if ('refuse' in r) return r;
  if (options.prefault === true && r.target.ramZeroed === true) prefault(r.machine.ram.u8, config.pages);
  return { machine: r.machine, target: r.target, machineKey: JSON.stringify(config.machine), ramSize: config.ramSize };
}

/**
 * Writing zeros over zeros changes nothing but makes the host map the pages now: each listed
 * page whole, or the whole of RAM. Whole pages, not one byte each: on the development machine
 * (Linux under KVM) copying the idle guest's 3100 pages into pages touched by one byte each
 * still took ~9 ms, against ~2 ms into pages written whole, and the migration's destination
 * spent 4.4 ms of an 11 ms idle move in that copy (bench:migrate, 2.6 ms after this change).
 */
function prefault(ram: Uint8Array, pages: Uint8Array | undefined): void {
  if (pages === undefined) {
    ram.fill(0);
    return;
  }
  const list: number[] = [];
  collectSet(pages, list);
  for (const p of list) ram.fill(0, p * TARGET_PAGE_SIZE, (p + 1) * TARGET_PAGE_SIZE);
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
      return buildAndRehearse(config, host, 'pause'); // inside the migration's clock
    },
  };
}

function buildAndRehearse(config: MigrationAnnouncement, host: RestoreHost, scope: RehearsalScope): { machine: VirtMachine; target: LoadTarget } | Refusal {
  const r = prepareRestore(config, host);
  if ('refuse' in r) return r;
  const sections = [...r.target.sections];
  rehearseStopAndCopy(sections, config.machine, scope);
  return { machine: r.machine, target: { ...r.target, sections } };
}
