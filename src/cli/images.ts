/**
 * Reading boot images from files for the Node entry points, with errors a user can act on
 * (never a stack trace for a missing file).
 */
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageIdentity } from '../machine/config.ts';

export class CliError extends Error {
  override readonly name = 'CliError';
}

/** public/ of this checkout: the default images. */
export const PUBLIC_DIR = resolve(fileURLToPath(new URL('../../public/', import.meta.url)));

export function defaultImage(name: string): string {
  return resolve(PUBLIC_DIR, name);
}

export function readImage(path: string, what: string, maxBytes = 1 << 30): { bytes: Uint8Array; id: ImageIdentity } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CliError(`${what}: cannot read ${path} (no such file)`);
  }
  if (size > maxBytes) throw new CliError(`${what}: ${path} is ${size} bytes, larger than the ${maxBytes} allowed`);
  const bytes = new Uint8Array(readFileSync(path));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { bytes, id: { name: basename(path), bytes: bytes.length, sha256 } };
}
