/**
 * The integrity section's state and the checksums behind it. The section holds a checksum and
 * the length of every stream byte before it. Four versions, all loadable:
 *
 *   1  CRC-32 (IEEE), field `crc32` — streams written before version 2 existed
 *   2  the multiply-xor word hash of word-hash.ts, field `hash` — several times faster — and
 *      `vmdesc_hash`, the same hash over the JSON description that follows EOF (its shape does
 *      not depend on any value, so the writer knows it before writing this section): no byte
 *      of a version-2 stream goes unchecked
 *   3  the same fields, with the four-lane hash of lane-hash.ts (about twice as fast again;
 *      both ends of a migration hash every stream byte)
 *   4  the same fields, with the sixteen-lane hash of wide-hash.ts, which WebAssembly SIMD
 *      folds several times faster again
 *
 * The writer announces the version in the CONFIGURATION (`integrity`; absent means 1), so the
 * loader checksums with the right algorithm from the first byte and never passes over the
 * stream twice; the section's version must then match the announcement.
 */
import { describe } from '../../vmstate/index.ts';
import { crc32Final, crc32Init, crc32Update } from './crc32.ts';
import { INTEGRITY_SECTION_NAME } from './format.ts';
import { LaneHash } from './lane-hash.ts';
import { WideHash } from './wide-hash.ts';
import { WordHash } from './word-hash.ts';

export type IntegrityVersion = 1 | 2 | 3 | 4;
export const INTEGRITY_CRC32: IntegrityVersion = 1;
export const INTEGRITY_WORD_HASH: IntegrityVersion = 2;
export const INTEGRITY_LANE_HASH: IntegrityVersion = 3;
export const INTEGRITY_WIDE_HASH: IntegrityVersion = 4;
/** What new streams use. */
export const CURRENT_INTEGRITY_VERSION: IntegrityVersion = INTEGRITY_WIDE_HASH;

export function isIntegrityVersion(v: unknown): v is IntegrityVersion {
  return v === INTEGRITY_CRC32 || v === INTEGRITY_WORD_HASH || v === INTEGRITY_LANE_HASH || v === INTEGRITY_WIDE_HASH;
}

/** Version 1 saves `crc32`, versions 2 to 4 `hash` and `vmdesc_hash`; the others are unused. */
export interface IntegrityState {
  crc32: number;
  hash: number;
  length: number;
  vmdesc_hash: number;
}

const descriptions = {
  [INTEGRITY_CRC32]: describe<IntegrityState>({
    name: INTEGRITY_SECTION_NAME,
    version: INTEGRITY_CRC32,
    fields: (f) => [f.u32('crc32'), f.u64n('length')],
  }),
  [INTEGRITY_WORD_HASH]: describe<IntegrityState>({
    name: INTEGRITY_SECTION_NAME,
    version: INTEGRITY_WORD_HASH,
    fields: (f) => [f.u32('hash'), f.u64n('length'), f.u32('vmdesc_hash')],
  }),
  [INTEGRITY_LANE_HASH]: describe<IntegrityState>({
    name: INTEGRITY_SECTION_NAME,
    version: INTEGRITY_LANE_HASH,
    fields: (f) => [f.u32('hash'), f.u64n('length'), f.u32('vmdesc_hash')],
  }),
  [INTEGRITY_WIDE_HASH]: describe<IntegrityState>({
    name: INTEGRITY_SECTION_NAME,
    version: INTEGRITY_WIDE_HASH,
    fields: (f) => [f.u32('hash'), f.u64n('length'), f.u32('vmdesc_hash')],
  }),
};

export function integrityDescription(version: IntegrityVersion) {
  return descriptions[version];
}

/** Name of the checksum field of `version`, for error reports. */
export function checksumField(version: IntegrityVersion): string {
  return version === INTEGRITY_CRC32 ? 'crc32' : 'hash';
}

export function integrityState(version: IntegrityVersion, checksum: number, length: number, vmdescHash = 0): IntegrityState {
  return version === INTEGRITY_CRC32
    ? { crc32: checksum, hash: 0, length, vmdesc_hash: 0 }
    : { crc32: 0, hash: checksum, length, vmdesc_hash: vmdescHash };
}

/** The hash of the JSON description bytes, by the stream hash of `version` (2 and up). */
export function vmdescHash(json: Uint8Array, version: IntegrityVersion): number {
  const h = newChecksum(version);
  h.update(json);
  return h.digest();
}

/** The checksum field of `version`. */
export function checksumOf(s: IntegrityState, version: IntegrityVersion): number {
  return version === INTEGRITY_CRC32 ? s.crc32 : s.hash;
}

/** An incremental checksum over the stream bytes. */
export interface StreamChecksum {
  update(bytes: Uint8Array): void;
  digest(): number;
}

class Crc32Checksum implements StreamChecksum {
  private crc = crc32Init;
  update(bytes: Uint8Array): void {
    this.crc = crc32Update(this.crc, bytes);
  }
  digest(): number {
    return crc32Final(this.crc);
  }
}

export function newChecksum(version: IntegrityVersion): StreamChecksum {
  if (version === INTEGRITY_CRC32) return new Crc32Checksum();
  if (version === INTEGRITY_WORD_HASH) return new WordHash();
  return version === INTEGRITY_LANE_HASH ? new LaneHash() : new WideHash();
}
