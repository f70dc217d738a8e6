/**
 * The migration id: 16 random bytes that name one migration. Both tabs learn it out of band
 * (the UI passes it with the drag), every frame carries it, and the BroadcastChannel name is
 * derived from it, so other tabs and other migrations never see or accept each other's frames.
 */

/** Bytes in a migration id (128 bits: collisions between concurrent migrations are not a concern). */
export const MIGRATION_ID_BYTES = 16;

/** Prefix of the per-migration BroadcastChannel name. */
export const CHANNEL_NAME_PREFIX = 'tabvm-migrate-';

const HEX_ID = /^[0-9a-f]{32}$/;

/** A fresh random migration id as 32 lowercase hex digits. */
export function newMigrationId(): string {
  const bytes = new Uint8Array(MIGRATION_ID_BYTES);
  crypto.getRandomValues(bytes);
  return idToHex(bytes);
}

/** Whether `id` is a well-formed migration id (32 lowercase hex digits). */
export function isMigrationId(id: string): boolean {
  return HEX_ID.test(id);
}

/** The id's 16 bytes. Throws on a malformed id: ids come from this module, so that is a bug. */
export function migrationIdBytes(id: string): Uint8Array {
  if (!isMigrationId(id)) throw new RangeError(`malformed migration id '${id}' (want 32 lowercase hex digits)`);
  const bytes = new Uint8Array(MIGRATION_ID_BYTES);
  for (let i = 0; i < MIGRATION_ID_BYTES; i++) bytes[i] = parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function idToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** The BroadcastChannel name for one migration: `tabvm-migrate-<id>`. */
export function channelName(id: string): string {
  if (!isMigrationId(id)) throw new RangeError(`malformed migration id '${id}'`);
  return CHANNEL_NAME_PREFIX + id;
}

/** A random non-zero 32-bit endpoint id, so a receiver can tell its peer from a third party. */
export function newSenderId(): number {
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word);
  while (word[0] === 0);
  return word[0]!;
}
