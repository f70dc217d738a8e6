/**
 * Test helpers for snapshots (Node-only, through default-machine.ts): the deterministic default machine with sha256
 * identities for its images (a disk needs one to be saved), and a restore host that has the
 * same images and collects console output.
 */
import { MemoryBlockBackend } from '../../devices/virtio-blk/memory-backend.ts';
import { ConsoleDriver } from '../console-driver.ts';
import type { ImageIdentity, MachineConfig } from '../config.ts';
import type { HostImage, RestoreHost } from '../snapshot.ts';
import { VirtMachine } from '../virt-machine.ts';
import { defaultConfig, defaultImages } from './default-machine.ts';
import { sha256Hex } from './sha256.ts';

const sha256 = sha256Hex;

let identities: Record<'firmware' | 'kernel' | 'initrd' | 'disk', ImageIdentity> | undefined;

function ids() {
  const img = defaultImages();
  identities ??= {
    firmware: { name: 'fw_dynamic.bin', bytes: img.firmware.length, sha256: sha256(img.firmware) },
    kernel: { name: 'Image', bytes: img.kernel.length, sha256: sha256(img.kernel) },
    initrd: { name: 'initramfs.cpio', bytes: img.initrd.length, sha256: sha256(img.initrd) },
    disk: { name: 'disk.img', bytes: img.disk.length, sha256: sha256(img.disk) },
  };
  return identities;
}

export function snapshotConfig(overrides: Partial<MachineConfig> = {}): MachineConfig {
  return defaultConfig({ images: { ...ids() }, ...overrides });
}

/** A deterministic default machine whose images carry sha256 identities, with a console driver. */
export function snapshotMachine(overrides: Partial<MachineConfig> = {}): { machine: VirtMachine; console: ConsoleDriver } {
  const img = defaultImages();
  let driver: ConsoleDriver | undefined;
  const machine = new VirtMachine(
    snapshotConfig(overrides),
    { firmware: img.firmware, kernel: img.kernel, initrd: img.initrd },
    { consoleOut: ConsoleDriver.sink(() => driver), disk: new MemoryBlockBackend(img.disk, { copyOnWrite: true }) },
  );
  driver = new ConsoleDriver(machine);
  return { machine, console: driver };
}

/** A restore host with the default images; `output` collects what the restored guest prints. */
export function testRestoreHost(): RestoreHost & { output: number[] } {
  const img = defaultImages();
  const i = ids();
  const image = (bytes: Uint8Array, id: ImageIdentity): HostImage => ({ bytes, id });
  const output: number[] = [];
  return {
    output,
    consoleOut: (b) => output.push(...b),
    images: {
      firmware: image(img.firmware, i.firmware),
      kernel: image(img.kernel, i.kernel),
      initrd: image(img.initrd, i.initrd),
      disk: image(img.disk, i.disk),
    },
    disk: (base) => new MemoryBlockBackend(base, { copyOnWrite: true }),
  };
}
