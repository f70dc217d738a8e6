/**
 * Builds the default `virt` machine for the browser from fetched images, mirroring the Node
 * CLI (src/cli/vm.ts) in real-time mode: guest time follows the wall clock, the RNG seed comes
 * from the browser's CSPRNG and the RTC starts at the host's current time.
 */
import { cryptoEntropy, randomHex } from '../host/browser/entropy.ts';
import type { FetchedImage } from '../host/browser/fetch-images.ts';
import { MemoryBlockBackend } from '../devices/virtio-blk/memory-backend.ts';
import { DEFAULT_BOOTARGS, DEFAULT_INSTRUCTIONS_PER_TICK, DEFAULT_RAM_SIZE, MiB, type MachineConfig } from '../machine/config.ts';
import { VirtMachine } from '../machine/virt-machine.ts';

export interface BootOptions {
  /** RAM in MiB (default 256). */
  ramMiB?: number;
  /** Kernel command line (default `console=ttyS0`). */
  bootargs?: string;
  /** URL of the folder holding manifest.json and the images (default: the app's public/). */
  imageBase?: string;
}

/** The files of public/ a default VM boots from, in the order `BootImages` lists them. */
export const DEFAULT_IMAGE_FILES = ['fw_dynamic.bin', 'Image', 'initramfs.cpio', 'disk.img'] as const;

export interface BootImages {
  firmware: FetchedImage;
  kernel: FetchedImage;
  initrd?: FetchedImage;
  disk?: FetchedImage;
}

const RNG_SEED_BYTES = 32;
const NS_PER_MS = 1_000_000n;

export function browserMachineConfig(options: BootOptions, images: BootImages, nowMs: number): MachineConfig {
  return {
    configVersion: 1,
    ramSize: options.ramMiB !== undefined ? options.ramMiB * MiB : DEFAULT_RAM_SIZE,
    bootargs: options.bootargs ?? DEFAULT_BOOTARGS,
    deterministic: false,
    instructionsPerTick: DEFAULT_INSTRUCTIONS_PER_TICK,
    mmu: 'sv39',
    rngSeed: randomHex(RNG_SEED_BYTES),
    rtcEpochNs: (BigInt(Math.floor(nowMs)) * NS_PER_MS).toString(),
    images: { firmware: images.firmware.id, kernel: images.kernel.id, initrd: images.initrd?.id, disk: images.disk?.id },
    devices: { rng: true, net: true },
  };
}

/** Builds the machine; the disk image is shared copy-on-write, never modified. */
export function buildBrowserMachine(config: MachineConfig, images: BootImages, consoleOut: (bytes: Uint8Array) => void): VirtMachine {
  return new VirtMachine(
    config,
    { firmware: images.firmware.bytes, kernel: images.kernel.bytes, initrd: images.initrd?.bytes },
    {
      consoleOut,
      disk: images.disk ? new MemoryBlockBackend(images.disk.bytes, { copyOnWrite: true }) : undefined,
      entropy: cryptoEntropy(),
    },
  );
}
