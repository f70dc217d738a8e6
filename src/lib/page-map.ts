/**
 * Page maps: one byte per 4 KiB guest page (Ram.dirty, Ram.written, the migration's send
 * list). Mostly zero, so the helpers test four pages at a time where the maps are 4-aligned.
 */

/** `into[i] |= from[i]` for every page. */
export function orInto(into: Uint8Array, from: Uint8Array): void {
  let i = 0;
  const len = Math.min(into.length, from.length);
  if (into.byteOffset % 4 === 0 && from.byteOffset % 4 === 0) {
    const words = len >>> 2;
    const a = new Int32Array(into.buffer, into.byteOffset, words);
    const b = new Int32Array(from.buffer, from.byteOffset, words);
    for (let w = 0; w < words; w++) if (b[w] !== 0) a[w]! |= b[w]!;
    i = words * 4;
  }
  for (; i < len; i++) into[i]! |= from[i]!;
}
