/**
 * The machine part of a stream's CONFIGURATION section: the `MachineConfig` (RAM size,
 * devices, image identities, mode) and the description versions this build writes. Parsing is
 * strict because the bytes are untrusted: every field is type-checked before the
 * configuration's own validation runs, and a refusal says what is wrong.
 */
import type { JsonValue } from '../../migration/stream/index.ts';
import { ConfigError, validateConfig, type ImageIdentity, type MachineConfig } from '../config.ts';

export interface MachineConfigJson {
  readonly board: 'virt';
  readonly config: MachineConfig;
  /** Description name → version, for people reading the stream (the loader checks each section's own version). */
  readonly descriptions: Record<string, number>;
}

export function machineConfigJson(config: MachineConfig, descriptions: Record<string, number>): JsonValue {
  const images: Record<string, ImageIdentity> = {};
  for (const [k, v] of Object.entries(config.images)) if (v !== undefined) images[k] = { ...v };
  const out: MachineConfigJson = { board: 'virt', config: { ...config, images: images as MachineConfig['images'] }, descriptions };
  return out as unknown as JsonValue;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseIdentity(v: unknown, what: string): ImageIdentity | string {
  if (!isObj(v)) return `${what} identity is not an object`;
  if (typeof v.name !== 'string' || v.name.length > 255) return `${what} name is not a string`;
  if (typeof v.bytes !== 'number' || !Number.isSafeInteger(v.bytes) || v.bytes < 0) return `${what} size is not a byte count`;
  if (v.sha256 !== undefined && (typeof v.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(v.sha256))) return `${what} sha256 is not 64 hex digits`;
  return v.sha256 === undefined ? { name: v.name, bytes: v.bytes } : { name: v.name, bytes: v.bytes, sha256: v.sha256 };
}

/** Parses and validates the machine JSON of a stream; a string says why it is refused. */
export function parseMachineConfigJson(json: JsonValue): MachineConfig | string {
  if (!isObj(json)) return 'machine configuration is not an object';
  if (json.board !== 'virt') return `board ${JSON.stringify(json.board)} is not "virt"`;
  const c = json.config;
  if (!isObj(c)) return 'machine configuration has no config object';
  if (c.configVersion !== 1) return `configuration version ${String(c.configVersion)} is not supported (this build reads 1)`;
  for (const key of ['ramSize', 'instructionsPerTick'] as const) if (typeof c[key] !== 'number') return `${key} is not a number`;
  for (const key of ['bootargs', 'mmu', 'rngSeed', 'rtcEpochNs'] as const) if (typeof c[key] !== 'string') return `${key} is not a string`;
  if (typeof c.deterministic !== 'boolean') return 'deterministic is not a boolean';
  const d = c.devices;
  if (!isObj(d) || typeof d.rng !== 'boolean' || typeof d.net !== 'boolean') return 'devices must say rng and net as booleans';
  const imgs = c.images;
  if (!isObj(imgs)) return 'images is not an object';
  const images: Obj = {};
  for (const key of ['firmware', 'kernel', 'initrd', 'disk'] as const) {
    if (imgs[key] === undefined) {
      if (key === 'firmware' || key === 'kernel') return `no ${key} image`;
      continue;
    }
    const id = parseIdentity(imgs[key], key);
    if (typeof id === 'string') return id;
    images[key] = id;
  }
  const config = {
    configVersion: 1,
    ramSize: c.ramSize,
    bootargs: c.bootargs,
    deterministic: c.deterministic,
    instructionsPerTick: c.instructionsPerTick,
    mmu: c.mmu,
    rngSeed: c.rngSeed,
    rtcEpochNs: c.rtcEpochNs,
    images,
    devices: { rng: d.rng, net: d.net },
  } as MachineConfig;
  try {
    validateConfig(config);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return config;
}
