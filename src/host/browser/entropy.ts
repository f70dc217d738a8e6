/**
 * Entropy for virtio-rng from the browser's CSPRNG. `crypto.getRandomValues` refuses more than
 * 65,536 bytes per call (WebCrypto §10.1.1), so larger requests are filled in pieces.
 */
import type { EntropySource } from '../../devices/virtio-rng/entropy.ts';

/** Largest request `getRandomValues` accepts, in bytes. */
export const GET_RANDOM_VALUES_MAX = 65_536;

export function cryptoEntropy(source: Pick<Crypto, 'getRandomValues'> = globalThis.crypto): EntropySource {
  return {
    fill(dst: Uint8Array): void {
      for (let at = 0; at < dst.length; at += GET_RANDOM_VALUES_MAX) {
        source.getRandomValues(dst.subarray(at, Math.min(dst.length, at + GET_RANDOM_VALUES_MAX)));
      }
    },
  };
}

/** `n` random bytes as lowercase hex (for MachineConfig.rngSeed). */
export function randomHex(n: number, source: Pick<Crypto, 'getRandomValues'> = globalThis.crypto): string {
  const b = new Uint8Array(n);
  source.getRandomValues(b);
  let s = '';
  for (const v of b) s += v.toString(16).padStart(2, '0');
  return s;
}
