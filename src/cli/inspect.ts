/**
 * `npm run vm -- --inspect FILE`: what a snapshot holds, as text, like QEMU's
 * scripts/analyze-migration.py: the configuration, RAM (pages and zero pages), then every
 * section with its fields decoded through the stream's own JSON description. A damaged file
 * prints as far as it can be read and ends with an `error:` line; nothing is loaded or run.
 */
import { readFileSync, statSync } from 'node:fs';
import { inspectStream } from '../migration/stream/index.ts';
import { CliError } from './images.ts';

/** Snapshot files larger than this are refused before reading (RAM is at most 2 GiB plus state). */
const MAX_SNAPSHOT_BYTES = 3 * 1024 ** 3;

export function readSnapshotFile(path: string): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CliError(`cannot read snapshot ${path} (no such file)`);
  }
  if (size > MAX_SNAPSHOT_BYTES) throw new CliError(`snapshot ${path} is ${size} bytes: too large to be a tabvm snapshot`);
  return new Uint8Array(readFileSync(path));
}

export function inspectSnapshotFile(path: string): string {
  return `${path}: ${inspectStream(readSnapshotFile(path))}`;
}
