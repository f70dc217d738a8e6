/**
 * Strict UTF-8 for the configuration JSON (the deterministic layers have no TextEncoder).
 * Decoding refuses overlong forms, surrogates and truncated sequences.
 */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) {
      if (c >= 0xd800 && c <= 0xdfff) throw new RangeError('lone surrogate in string');
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    } else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Undefined when `b` is not valid UTF-8. */
export function utf8Decode(b: Uint8Array): string | undefined {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let cp: number;
    let n: number;
    let min: number;
    if (c < 0x80) [cp, n, min] = [c, 0, 0];
    else if (c >= 0xc2 && c < 0xe0) [cp, n, min] = [c & 0x1f, 1, 0x80];
    else if (c >= 0xe0 && c < 0xf0) [cp, n, min] = [c & 0x0f, 2, 0x800];
    else if (c >= 0xf0 && c < 0xf5) [cp, n, min] = [c & 0x07, 3, 0x10000];
    else return undefined;
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}
