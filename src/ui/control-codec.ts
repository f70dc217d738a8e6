/**
 * Control messages over a WebRTC link are text, but they carry what structured clone carries
 * between tabs of one browser: a move's announcement holds the source's page map (a Uint8Array
 * of one byte per RAM page, 64 KiB for 256 MiB, nearly all zero), and statistics may hold
 * BigInts. JSON with two tagged forms:
 *
 *   {"$bigint": "<decimal>"}
 *   {"$bytes": <length>, "runs": [[<offset>, "<base64 of a run of nonzero bytes>"], ...]}
 *
 * A byte array is sent as its nonzero runs (an idle guest's page map is a few hundred bytes
 * of text, not 87 KiB of base64). Decoding is of untrusted text: lengths and offsets are
 * checked, and anything wrong throws.
 */

/** Largest byte array a control message may carry (a page map of 16 GiB of RAM). */
export const MAX_CONTROL_BYTES = 4 << 20;
/** Zero bytes shorter than this inside a run are sent as part of it (fewer, longer runs). */
const GAP = 16;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function runs(bytes: Uint8Array): [number, string][] {
  const out: [number, string][] = [];
  let i = 0;
  while (i < bytes.length) {
    while (i < bytes.length && bytes[i] === 0) i++;
    if (i === bytes.length) break;
    const start = i;
    let end = i;
    while (i < bytes.length) {
      if (bytes[i] !== 0) {
        end = ++i;
      } else if (i - end < GAP) {
        i++;
      } else {
        break;
      }
    }
    out.push([start, toBase64(bytes.subarray(start, end))]);
    i = end;
  }
  return out;
}

export function encodeControl(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    if (v instanceof Uint8Array) return { $bytes: v.length, runs: runs(v) };
    return v;
  });
}

function bytesFrom(o: Record<string, unknown>): Uint8Array {
  const n = o.$bytes;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_CONTROL_BYTES || !Array.isArray(o.runs)) throw new Error('bad byte array');
  const out = new Uint8Array(n);
  for (const r of o.runs as unknown[]) {
    if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'number' || typeof r[1] !== 'string') throw new Error('bad run');
    const at = r[0];
    const run = fromBase64(r[1]);
    if (!Number.isInteger(at) || at < 0 || at + run.length > n) throw new Error('run outside the array');
    out.set(run, at);
  }
  return out;
}

/** The value `encodeControl` wrote. Throws for text that is not a well-formed control message. */
export function decodeControl(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    if ('$bigint' in o) {
      if (typeof o.$bigint !== 'string' || !/^-?\d{1,40}$/.test(o.$bigint)) throw new Error('bad bigint');
      return BigInt(o.$bigint);
    }
    if ('$bytes' in o) return bytesFrom(o);
    return v;
  });
}
