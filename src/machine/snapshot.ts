/**
 * Snapshots of a `VirtMachine`: the whole machine as one QEMU-framed stream (src/migration/stream)
 * and back.
 *
 *   const bytes = saveSnapshot(machine);                 // throws SnapshotError('blocked') with reasons
 *   const copy = restoreSnapshot(bytes, restoreHost);    // throws SnapshotError('refused' | 'stream')
 *
 * The CONFIGURATION section carries the machine configuration (RAM size, devices, image
 * identities with sha256, mode); the restoring host must supply the same images (they are
 * checked before anything is built) because a later guest reboot reloads them and the disk's
 * copy-on-write overlay applies to the same base image. A restore builds a fresh machine
 * without booting it, loads RAM and every section into it, then runs the machine-wide
 * after-load step; on any error the machine is dropped, never half-started.
 *
 * Live migration drives the stream itself with the same pieces: `migrationBlockers`,
 * `machineConfiguration` + `machineSections` for `StreamWriter`, and `restoreLoadHost` for
 * `StreamLoader`.
 */
import type { NetBackend } from '../devices/virtio-net/index.ts';
import type { EntropySource } from '../devices/virtio-rng/index.ts';
import {
  loadStream,
  MAX_DEVICE_STATE_BYTES,
  saveStreamBytes,
  type DeviceSection,
  type JsonValue,
  type LoadHost,
  type LoadTarget,
  type MigrationBlocker,
  type Refusal,
  type StreamConfiguration,
  type StreamError,
} from '../migration/stream/index.ts';
import { BootImageError } from './boot-images.ts';
import { ConfigError, type ImageIdentity, type MachineConfig } from './config.ts';
import { ElfError } from './elf.ts';
import { isOverlayDisk, overlayBytes, type OverlayDisk } from './machine-state/disk-overlay.ts';
import { machineConfigJson, parseMachineConfigJson } from './machine-state/machine-config-json.ts';
import { machineStateList } from './machine-state/machine-sections.ts';
import { VirtMachine } from './virt-machine.ts';

export { machineAfterLoad, machineSections, machineStateList } from './machine-state/machine-sections.ts';
export type { MachineStateList } from './machine-state/machine-sections.ts';
export type { OverlayDisk } from './machine-state/disk-overlay.ts';

/** An image the restoring host has, with its identity (sha256 computed by the host). */
export interface HostImage {
  readonly bytes: Uint8Array;
  readonly id: ImageIdentity;
}

/** What a restore needs from the host: images matching the snapshot, backends, console output. */
export interface RestoreHost {
  consoleOut(bytes: Uint8Array): void;
  readonly images: { firmware?: HostImage; kernel?: HostImage; initrd?: HostImage; disk?: HostImage };
  /** A copy-on-write disk over `base` (the snapshot's overlay is loaded into it). */
  disk(base: Uint8Array): OverlayDisk;
  readonly entropy?: EntropySource;
  readonly net?: NetBackend;
}

export type SnapshotErrorReason =
  /** The machine cannot be saved now (`blockers` say why); nothing was written. */
  | 'blocked'
  /** This host cannot build the snapshot's machine (different images, bad configuration). */
  | 'refused'
  /** The stream is damaged or not a snapshot; `stream` says where. */
  | 'stream';

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';

  constructor(
    readonly reason: SnapshotErrorReason,
    message: string,
    readonly blockers: readonly MigrationBlocker[] = [],
    readonly stream?: StreamError,
  ) {
    super(message);
  }
}

/** Device-state bytes the stream may carry besides the overlay (sections, console history). */
const DEVICE_STATE_HEADROOM = 1 << 20;

/** Why `m` cannot be saved or migrated right now (empty: it can). */
export function migrationBlockers(m: VirtMachine): MigrationBlocker[] {
  const out: MigrationBlocker[] = [];
  const inFlight = m.blk?.inFlight() ?? 0;
  if (inFlight > 0) out.push({ reason: `virtio-blk has ${inFlight} request(s) in flight; retry when the disk is idle` });
  const disk = m.disk;
  if (disk) {
    if (!isOverlayDisk(disk) || !disk.copyOnWrite) {
      out.push({ reason: 'the disk is a host-backed image written in place: its contents cannot move with the machine' });
    } else {
      if (m.config.images.disk?.sha256 === undefined)
        out.push({ reason: 'the disk image has no sha256 identity: a restore could not check it has the same base image' });
      const bytes = overlayBytes(disk);
      if (bytes > MAX_DEVICE_STATE_BYTES - DEVICE_STATE_HEADROOM)
        out.push({ reason: `the disk overlay holds ${bytes} modified bytes, more than a stream carries` });
    }
  }
  return out;
}

/** The CONFIGURATION section's machine JSON for `m`. */
export function machineConfiguration(m: VirtMachine, sections: readonly DeviceSection[] = machineStateList(m).sections): JsonValue {
  const versions: Record<string, number> = {};
  for (const s of sections) versions[s.description.name] = s.description.version;
  return machineConfigJson(m.config, versions);
}

/** The whole machine as stream bytes. Throws SnapshotError('blocked') and writes nothing when it cannot be saved. */
export function saveSnapshot(m: VirtMachine): Uint8Array {
  const blockers = migrationBlockers(m);
  const { sections } = machineStateList(m);
  const { written, dirty } = m.ram;
  // Never-written pages are zero and not saved; a restore builds a fresh machine whose RAM is.
  const mayBeNonzero = (p: number) => written[p] !== 0 || dirty[p] !== 0;
  const r = saveStreamBytes({ blockers, ramBytes: m.ram.u8, machine: machineConfiguration(m, sections), sections, mayBeNonzero });
  if (!r.ok) throw new SnapshotError('blocked', `cannot save this machine: ${r.blockers.map((b) => b.reason).join('; ')}`, r.blockers);
  return r.bytes;
}

/** Checks that the host's image is the one the configuration names; a string says why not. */
function checkImage(role: string, want: ImageIdentity | undefined, have: HostImage | undefined): string | undefined {
  if (want === undefined) return undefined;
  if (have === undefined) return `the snapshot needs the ${role} image ${want.name} (${want.bytes} bytes), which this host does not have`;
  if (have.bytes.length !== want.bytes)
    return `${role} image ${have.id.name} has ${have.bytes.length} bytes, the snapshot's ${want.name} has ${want.bytes}`;
  if (want.sha256 !== undefined && have.id.sha256 !== want.sha256)
    return `${role} image ${have.id.name} is not the snapshot's ${want.name} (sha256 ${have.id.sha256 ?? 'unknown'} != ${want.sha256})`;
  if (role === 'disk' && want.sha256 === undefined) return 'the snapshot names its disk image without a sha256';
  return undefined;
}

/** A fresh, unbooted machine for `config` and the load target over it; or why this host cannot build it. */
export function prepareRestore(stream: Pick<StreamConfiguration, 'ramSize' | 'machine'>, host: RestoreHost): { machine: VirtMachine; target: LoadTarget } | Refusal {
  const config: MachineConfig | string = parseMachineConfigJson(stream.machine);
  if (typeof config === 'string') return { refuse: config };
  if (config.ramSize !== stream.ramSize) return { refuse: `machine RAM ${config.ramSize} != stream RAM ${stream.ramSize}` };
  const imgs = host.images;
  for (const role of ['firmware', 'kernel', 'initrd', 'disk'] as const) {
    const why = checkImage(role, config.images[role], imgs[role]);
    if (why !== undefined) return { refuse: why };
  }
  let machine: VirtMachine;
  try {
    machine = new VirtMachine(
      config,
      { firmware: imgs.firmware!.bytes, kernel: imgs.kernel!.bytes, initrd: config.images.initrd ? imgs.initrd!.bytes : undefined },
      {
        consoleOut: (b) => host.consoleOut(b),
        disk: config.images.disk ? host.disk(imgs.disk!.bytes) : undefined,
        entropy: host.entropy,
        net: host.net,
      },
      { boot: false },
    );
  } catch (e) {
    if (e instanceof ConfigError || e instanceof BootImageError || e instanceof ElfError) return { refuse: e.message };
    throw e;
  }
  const list = machineStateList(machine);
  // The machine was built without booting: its RAM is untouched zeros.
  return { machine, target: { ramBytes: machine.ram.u8, ramZeroed: true, ramDirty: machine.ram.dirty, sections: list.sections, afterLoad: list.afterLoad } };
}

/** A `LoadHost` for `StreamLoader` that builds the machine; `machine()` is set once the load succeeded. */
export function restoreLoadHost(host: RestoreHost): { loadHost: LoadHost; machine(): VirtMachine | undefined } {
  let built: VirtMachine | undefined;
  let loaded = false;
  return {
    loadHost: {
      configure: (c) => {
        const p = prepareRestore(c, host);
        if ('refuse' in p) return p;
        built = p.machine;
        return { ...p.target, afterLoad: () => ((loaded = true), p.target.afterLoad()) };
      },
    },
    machine: () => (loaded ? built : undefined),
  };
}

/** A running-ready machine from snapshot bytes. Throws SnapshotError with the reason; nothing half-loaded escapes. */
export function restoreSnapshot(bytes: Uint8Array, host: RestoreHost): VirtMachine {
  const h = restoreLoadHost(host);
  const r = loadStream(bytes, h.loadHost);
  const m = h.machine();
  if (!r.ok || m === undefined) {
    const e = r.ok ? undefined : r.error;
    const reason = e?.reason === 'refused' ? 'refused' : 'stream';
    throw new SnapshotError(reason, e ? `cannot restore: ${e.message}` : 'cannot restore: the machine did not load', [], e);
  }
  return m;
}
