/**
 * The machine configuration: everything needed to build a matching machine, as plain JSON.
 * It travels at the front of every snapshot and migration stream, so a destination can build
 * the same machine (or refuse, with a reason) before it reads any state.
 */
export interface ImageIdentity {
  /** A name for people (file name). */
  name: string;
  bytes: number;
  /** Hex sha256 when the host computed one. */
  sha256?: string;
}

export interface MachineConfig {
  /** Format version of this object. */
  configVersion: 1;
  /** Bytes of RAM at 0x80000000; a multiple of 2 MiB. */
  ramSize: number;
  bootargs: string;
  /** Deterministic mode: guest time derives from the instruction count; runs are reproducible. */
  deterministic: boolean;
  /** Retired instructions per timebase tick (10 MHz) while the guest runs. */
  instructionsPerTick: number;
  mmu: 'sv39' | 'sv48';
  /** Hex bytes for /chosen/rng-seed and the virtio-rng generator's seed. */
  rngSeed: string;
  /** Wall-clock time (ns since the epoch, decimal string) that the RTC shows at guest time 0. */
  rtcEpochNs: string;
  images: {
    firmware: ImageIdentity;
    kernel: ImageIdentity;
    initrd?: ImageIdentity;
    disk?: ImageIdentity;
  };
  devices: { rng: boolean; net: boolean };
}

export const MiB = 1024 * 1024;
export const DEFAULT_RAM_SIZE = 256 * MiB;
export const MAX_RAM_SIZE = 2048 * MiB;
export const DEFAULT_BOOTARGS = 'console=ttyS0';
/** 100 MIPS against the 10 MHz timebase. */
export const DEFAULT_INSTRUCTIONS_PER_TICK = 10;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Checks a configuration (possibly from an untrusted stream); throws ConfigError with a reason. */
export function validateConfig(c: MachineConfig): void {
  const fail = (why: string): never => {
    throw new ConfigError(why);
  };
  if (c.configVersion !== 1) fail(`configuration version ${String(c.configVersion)} is not supported (this build reads 1)`);
  if (!Number.isInteger(c.ramSize) || c.ramSize < 16 * MiB || c.ramSize > MAX_RAM_SIZE || c.ramSize % (2 * MiB) !== 0) {
    fail(`RAM size ${c.ramSize} must be a multiple of 2 MiB between 16 MiB and ${MAX_RAM_SIZE / MiB} MiB`);
  }
  if (typeof c.bootargs !== 'string' || c.bootargs.length > 4096) fail('bootargs must be a string of at most 4096 characters');
  if (!Number.isInteger(c.instructionsPerTick) || c.instructionsPerTick < 1 || c.instructionsPerTick > 1000) {
    fail('instructionsPerTick must be an integer from 1 to 1000');
  }
  if (c.mmu !== 'sv39' && c.mmu !== 'sv48') fail(`mmu ${String(c.mmu)} is not sv39 or sv48`);
  if (!/^([0-9a-f]{2}){0,64}$/.test(c.rngSeed)) fail('rngSeed must be up to 64 hex bytes');
  if (!/^\d{1,25}$/.test(c.rtcEpochNs)) fail('rtcEpochNs must be a decimal integer');
  if (!c.images?.firmware || !c.images.kernel) fail('images.firmware and images.kernel are required');
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const v of b) s += v.toString(16).padStart(2, '0');
  return s;
}
