/** virtio-blk's own state: the I/O counters (requests in flight block migration instead). */
import { describe } from '../../vmstate/index.ts';
import type { VirtioBlkState } from './state.ts';

export const virtioBlkDescription = describe<VirtioBlkState>({
  name: 'virtio-blk',
  version: 1,
  fields: (f) => [f.u64n('reads'), f.u64n('writes'), f.u64n('flushes'), f.u64n('bytesRead'), f.u64n('bytesWritten'), f.u64n('errors')],
});
