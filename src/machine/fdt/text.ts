/**
 * UTF-8 for device tree strings. The deterministic layers compile without DOM/Node types, so
 * TextEncoder/TextDecoder are not available here; device tree strings are short.
 */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8; malformed input throws (URIError). */
export function utf8Decode(b: Uint8Array): string {
  let ascii = true;
  for (const x of b) if (x >= 0x80) ascii = false;
  if (ascii) return String.fromCharCode(...b);
  return decodeURIComponent(Array.from(b, (x) => '%' + x.toString(16).padStart(2, '0')).join(''));
}
