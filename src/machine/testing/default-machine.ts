/**
 * The default machine built from public/ in deterministic mode, for Node tests and benchmarks.
 * (Node-only helper: imports node:fs; not part of the browser build.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MemoryBlockBackend } from '../../devices/virtio-blk/memory-backend.ts';
import { ConsoleDriver } from '../console-driver.ts';
import { DEFAULT_INSTRUCTIONS_PER_TICK, MiB, type MachineConfig } from '../config.ts';
import { VirtMachine } from '../virt-machine.ts';

const pub = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../public/${name}`, import.meta.url))));

let cache: { firmware: Uint8Array; kernel: Uint8Array; initrd: Uint8Array; disk: Uint8Array } | undefined;

export function defaultImages() {
  cache ??= { firmware: pub('fw_dynamic.bin'), kernel: pub('Image'), initrd: pub('initramfs.cpio'), disk: pub('disk.img') };
  return cache;
}

export function defaultConfig(overrides: Partial<MachineConfig> = {}): MachineConfig {
  const img = defaultImages();
  return {
    configVersion: 1,
    ramSize: 256 * MiB,
    bootargs: 'console=ttyS0',
    deterministic: true,
    instructionsPerTick: DEFAULT_INSTRUCTIONS_PER_TICK,
    mmu: 'sv39',
    rngSeed: '5eed'.repeat(16),
    rtcEpochNs: '1767225600000000000', // 2026-01-01T00:00:00Z
    images: {
      firmware: { name: 'fw_dynamic.bin', bytes: img.firmware.length },
      kernel: { name: 'Image', bytes: img.kernel.length },
      initrd: { name: 'initramfs.cpio', bytes: img.initrd.length },
      disk: { name: 'disk.img', bytes: img.disk.length },
    },
    devices: { rng: true, net: true },
    ...overrides,
  };
}

/** A deterministic default machine with a console driver attached. */
export function defaultMachine(overrides: Partial<MachineConfig> = {}): { machine: VirtMachine; console: ConsoleDriver } {
  const img = defaultImages();
  let driver: ConsoleDriver | undefined;
  const machine = new VirtMachine(
    defaultConfig(overrides),
    { firmware: img.firmware, kernel: img.kernel, initrd: img.initrd },
    { consoleOut: ConsoleDriver.sink(() => driver), disk: new MemoryBlockBackend(img.disk, { copyOnWrite: true }) },
  );
  driver = new ConsoleDriver(machine);
  return { machine, console: driver };
}

export const PROMPT = '~ # ';
