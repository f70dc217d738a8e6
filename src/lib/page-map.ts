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

/** The number of non-zero bytes (set pages). */
export function countSet(map: Uint8Array): number {
  let n = 0;
  let i = 0;
  if (map.byteOffset % 4 === 0) {
    const words = map.length >>> 2;
    const w32 = new Int32Array(map.buffer, map.byteOffset, words);
    for (let w = 0; w < words; w++) {
      if (w32[w] === 0) continue;
      for (let k = w * 4; k < w * 4 + 4; k++) if (map[k] !== 0) n++;
    }
    i = words * 4;
  }
  for (; i < map.length; i++) if (map[i] !== 0) n++;
  return n;
}

/**
 * Appends the indices of set pages at or after `from` to `out`, stopping once `out` holds
 * `max`; returns where to continue (map.length when the scan is complete).
 */
export function collectSet(map: Uint8Array, out: number[], from = 0, max = Infinity): number {
  let i = from;
  const len = map.length;
  if (map.byteOffset % 4 === 0) {
    const w32 = new Int32Array(map.buffer, map.byteOffset, len >>> 2);
    // Byte steps up to a word boundary, then whole zero words are skipped.
    while (i < len && out.length < max) {
      if ((i & 3) === 0 && i + 4 <= len && w32[i >>> 2] === 0) {
        i += 4;
        continue;
      }
      if (map[i] !== 0) out.push(i);
      i++;
    }
    return i;
  }
  for (; i < len && out.length < max; i++) if (map[i] !== 0) out.push(i);
  return i;
}

/**
 * Pages `i` with `a[i] !== 0`, or `b[i] !== 0` and `i >= from` (the migration's remaining
 * pages: dirty since the sync, or left in the iteration).
 */
export function countUnion(a: Uint8Array, b: Uint8Array, from: number): number {
  let n = 0;
  let i = 0;
  const len = a.length;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && b.length === len) {
    const words = len >>> 2;
    const aw = new Int32Array(a.buffer, a.byteOffset, words);
    const bw = new Int32Array(b.buffer, b.byteOffset, words);
    for (let w = 0; w < words; w++) {
      if ((aw[w]! | (w * 4 + 3 >= from ? bw[w]! : 0)) === 0) continue;
      for (let k = w * 4; k < w * 4 + 4; k++) if (a[k] !== 0 || (k >= from && b[k] !== 0)) n++;
    }
    i = words * 4;
  }
  for (; i < len; i++) if (a[i] !== 0 || (i >= from && b[i] !== 0)) n++;
  return n;
}

/**
 * Runs every helper here over scratch maps of `pages` pages a few times, so that V8 has
 * optimized them before a caller needs them fast (the migration's pause: stream/rehearse.ts
 * says why cold code there hurts).
 */
export function warmPageMaps(pages: number): void {
  const a = new Uint8Array(pages);
  const b = new Uint8Array(pages);
  for (let i = 0; i < pages; i += 97) a[i] = 1;
  for (let i = 0; i < pages; i += 89) b[i] = 1;
  const out: number[] = [];
  for (let round = 0; round < 3; round++) {
    countSet(a);
    countUnion(a, b, pages >>> 1);
    out.length = 0;
    collectSet(b, out);
    orInto(b, a);
  }
}
