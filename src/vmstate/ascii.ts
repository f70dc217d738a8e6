/**
 * Names on the wire (section idstrs, description names, RAM block names) are printable ASCII
 * of 1..127 bytes: QEMU writes them with a u8 length and analyze-migration.py reads that
 * length as a signed byte.
 */
export const MAX_NAME_LENGTH = 127;

const PRINTABLE_FIRST = 0x20;
const PRINTABLE_LAST = 0x7e;

export function isWireName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < PRINTABLE_FIRST || c > PRINTABLE_LAST) return false;
  }
  return true;
}

export function asciiBytes(name: string): Uint8Array {
  if (!isWireName(name)) throw new RangeError(`"${name}" is not a wire name (1..${MAX_NAME_LENGTH} printable ASCII bytes)`);
  const out = new Uint8Array(name.length);
  for (let i = 0; i < name.length; i++) out[i] = name.charCodeAt(i);
  return out;
}

/** Decodes bytes as a name; undefined when they are not printable ASCII. */
export function asciiString(bytes: Uint8Array): string | undefined {
  let s = '';
  for (const c of bytes) {
    if (c < PRINTABLE_FIRST || c > PRINTABLE_LAST) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}
