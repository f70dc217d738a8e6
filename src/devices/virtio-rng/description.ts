/** virtio-rng's state: the deterministic generator's seed and position, and the counter. */
import { describe } from '../../vmstate/index.ts';
import type { VirtioRngState } from './state.ts';

export const virtioRngDescription = describe<VirtioRngState>({
  name: 'virtio-rng',
  version: 1,
  fields: (f) => [f.u32('seed'), f.u32s('prng'), f.u64n('bytesDelivered')],
  // xoshiro128** never reaches the all-zero state; one loaded from a stream would stay stuck there.
  postLoad: (s) => (s.prng.every((w) => w === 0) ? { field: 'prng', message: 'generator state is all zero' } : undefined),
});
