/**
 * Where virtio-rng's bytes come from. The host supplies crypto randomness normally
 * (e.g. `{ fill: (d) => crypto.getRandomValues(d) }` in host/ or worker/); in deterministic
 * mode the device uses xoshiro128** (Blackman & Vigna, 2018) over a 4-word state that lives
 * in `VirtioRngState.prng`, so the sequence continues across save/restore.
 */
export interface EntropySource {
  fill(dst: Uint8Array): void;
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** One xoshiro128** step: returns the next 32-bit output and advances `s` in place. */
export function xoshiro128ss(s: Uint32Array): number {
  const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
  const t = s[1]! << 9;
  s[2]! ^= s[0]!;
  s[3]! ^= s[1]!;
  s[1]! ^= s[2]!;
  s[0]! ^= s[3]!;
  s[2]! ^= t;
  s[3] = rotl(s[3]!, 11);
  return result;
}

/** Fills a xoshiro128** state from a 32-bit seed with SplitMix32 (never all zero). */
export function seedXoshiro128(s: Uint32Array, seed: number): void {
  let x = seed | 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    s[i] = z ^ (z >>> 15);
  }
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
}

/**
 * Deterministic entropy over `holder.prng` (read on every call, so a state restored field by
 * field is picked up). Bytes are the generator's outputs in little-endian order.
 */
export function seededEntropy(holder: { readonly prng: Uint32Array }): EntropySource {
  return {
    fill(dst) {
      const s = holder.prng;
      for (let i = 0; i < dst.length; i += 4) {
        const v = xoshiro128ss(s);
        dst[i] = v;
        if (i + 1 < dst.length) dst[i + 1] = v >>> 8;
        if (i + 2 < dst.length) dst[i + 2] = v >>> 16;
        if (i + 3 < dst.length) dst[i + 3] = v >>> 24;
      }
    },
  };
}
