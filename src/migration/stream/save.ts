/**
 * Whole-stream save for snapshots, and migration blockers: a device or configuration that
 * cannot be migrated (a host pass-through, an unsaved image) says why, and `saveStream`
 * refuses up front with every reason, writing nothing.
 */
import type { JsonValue } from './config.ts';
import { TARGET_PAGE_SIZE } from './format.ts';
import type { DeviceSection } from './section.ts';
import type { IntegrityVersion } from './integrity.ts';
import { StreamWriter, type ChunkSink } from './writer.ts';

export interface MigrationBlocker {
  readonly reason: string;
}

export interface SaveInput {
  /** Blockers collected from devices and configuration; any one refuses the save. */
  readonly blockers: readonly MigrationBlocker[];
  readonly ramBytes: Uint8Array;
  /** The machine's configuration, carried in the CONFIGURATION section. */
  readonly machine: JsonValue;
  readonly sections: Iterable<DeviceSection>;
  /** The integrity section's version (default: the current one; 1 writes what older builds wrote). */
  readonly integrity?: IntegrityVersion;
  /**
   * False for a page known to be zero (never written, Ram.written): such pages are not written
   * at all and the configuration says unsent pages are zero. Absent: every page is written.
   */
  readonly mayBeNonzero?: (page: number) => boolean;
}

export type SaveResult = { readonly ok: true; readonly bytes: number } | { readonly ok: false; readonly blockers: readonly MigrationBlocker[] };

/** Collects blockers from several sources (each returns its own list). */
export function collectBlockers(sources: Iterable<() => readonly MigrationBlocker[]>): MigrationBlocker[] {
  const out: MigrationBlocker[] = [];
  for (const s of sources) out.push(...s());
  return out;
}

/** Writes a complete stream (every page once, or every page that may be nonzero, then all device sections) to `sink`. */
export function saveStream(input: SaveInput, sink: ChunkSink): SaveResult {
  if (input.blockers.length > 0) return { ok: false, blockers: input.blockers };
  const w = new StreamWriter(sink, undefined, input.integrity);
  w.header();
  const keep = input.mayBeNonzero;
  w.configuration(input.ramBytes.length, input.machine, keep !== undefined);
  w.ramStart();
  w.ramPages(pageRange(input.ramBytes.length / TARGET_PAGE_SIZE, keep), input.ramBytes);
  w.ramEnd();
  w.deviceSections(input.sections);
  w.eof();
  return { ok: true, bytes: w.bytesWritten };
}

/** `saveStream` into one array. */
export function saveStreamBytes(input: SaveInput): { ok: true; bytes: Uint8Array } | { ok: false; blockers: readonly MigrationBlocker[] } {
  const chunks: Uint8Array[] = [];
  const r = saveStream(input, (c) => chunks.push(c));
  if (!r.ok) return r;
  const out = new Uint8Array(r.bytes);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { ok: true, bytes: out };
}

function* pageRange(n: number, keep?: (page: number) => boolean): Generator<number> {
  for (let i = 0; i < n; i++) if (keep === undefined || keep(i)) yield i;
}
