/**
 * The CONFIGURATION section. QEMU sends a `vmstate_configuration` whose first fields are
 * `be32 name_len, name` (the machine type); analyze-migration.py reads exactly those two and
 * nothing else, so we put our configuration there as a JSON string: the stream format
 * envelope (format name and version, RAM and page size) around the machine layer's own
 * configuration (devices, image identities, description versions), which this layer carries
 * without interpreting.
 */
import { MAX_RAM_SIZE, TARGET_PAGE_SIZE } from './format.ts';
import { isIntegrityVersion, type IntegrityVersion } from './integrity.ts';
import { utf8Decode } from './utf8.ts';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export const STREAM_FORMAT = 'tabvm';
/** Bump when the framing changes in a way old loaders cannot read. */
export const STREAM_FORMAT_VERSION = 1;

export interface StreamConfiguration {
  readonly format: typeof STREAM_FORMAT;
  readonly formatVersion: number;
  readonly ramSize: number;
  readonly pageSize: number;
  readonly machine: JsonValue;
  /** The integrity section's checksum version (integrity.ts); absent in older streams: 1 (CRC-32). */
  readonly integrity?: IntegrityVersion;
  /**
   * Pages the stream never sends are zero (the source knew them never written and skipped
   * them). Absent: every page is sent, and a missing one is an error.
   */
  readonly unsentPagesAreZero?: true;
}

/**
 * The envelope; `integrity` 1 and `unsentPagesAreZero` false are left out, so such streams are
 * byte for byte what older writers wrote.
 */
export function makeConfiguration(
  ramSize: number, machine: JsonValue, integrity: IntegrityVersion = 1, unsentPagesAreZero = false,
): StreamConfiguration {
  const c = { format: STREAM_FORMAT, formatVersion: STREAM_FORMAT_VERSION, ramSize, pageSize: TARGET_PAGE_SIZE, machine } as const;
  const withIntegrity: StreamConfiguration = integrity === 1 ? c : { ...c, integrity };
  return unsentPagesAreZero ? { ...withIntegrity, unsentPagesAreZero: true } : withIntegrity;
}

export function validRamSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && n % TARGET_PAGE_SIZE === 0 && n <= MAX_RAM_SIZE;
}

/** Parses the configuration bytes; a string says why they are refused. */
export function parseConfiguration(bytes: Uint8Array): StreamConfiguration | string {
  const text = utf8Decode(bytes);
  if (text === undefined) return 'configuration is not UTF-8';
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'configuration is not JSON';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'configuration is not a JSON object';
  const c = v as Record<string, unknown>;
  if (c.format !== STREAM_FORMAT) return `configuration format is not "${STREAM_FORMAT}"`;
  if (typeof c.formatVersion !== 'number' || !Number.isInteger(c.formatVersion) || c.formatVersion < 1)
    return 'bad formatVersion';
  if (c.formatVersion > STREAM_FORMAT_VERSION)
    return `stream format version ${c.formatVersion} is newer than this build's ${STREAM_FORMAT_VERSION}`;
  if (c.pageSize !== TARGET_PAGE_SIZE) return `page size ${String(c.pageSize)} is not ${TARGET_PAGE_SIZE}`;
  if (!validRamSize(c.ramSize)) return `RAM size ${String(c.ramSize)} is not a page multiple in (0, 2^40]`;
  if (!('machine' in c)) return 'configuration has no machine';
  if ('integrity' in c && !isIntegrityVersion(c.integrity)) return `integrity version ${String(c.integrity)} is not known to this build`;
  if ('unsentPagesAreZero' in c && c.unsentPagesAreZero !== true) return 'unsentPagesAreZero is not true';
  return c as unknown as StreamConfiguration;
}
