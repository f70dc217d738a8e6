import { seedXoshiro128 } from './entropy.ts';

/**
 * State of virtio-rng: the deterministic generator (used only when the machine runs in
 * deterministic mode; otherwise it stays at its seed) and a counter for the UI.
 */
export interface VirtioRngState {
  /** Seed the generator restarts from on machine reset. */
  seed: number;
  /** xoshiro128** state, 4 words. */
  prng: Uint32Array;
  bytesDelivered: number;
}

export function createVirtioRngState(seed = 0): VirtioRngState {
  const s: VirtioRngState = { seed: seed >>> 0, prng: new Uint32Array(4), bytesDelivered: 0 };
  resetVirtioRng(s);
  return s;
}

export function resetVirtioRng(s: VirtioRngState): void {
  seedXoshiro128(s.prng, s.seed);
  s.bytesDelivered = 0;
}
