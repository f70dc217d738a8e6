export { RNG_MAX_FILL, RNG_QUEUE_SIZE, RNG_REQUEST_QUEUE, VirtioRng } from './virtio-rng.ts';
export { seededEntropy, seedXoshiro128, xoshiro128ss, type EntropySource } from './entropy.ts';
export { createVirtioRngState, resetVirtioRng, type VirtioRngState } from './state.ts';
export { virtioRngDescription } from './description.ts';
