/** virtio-net's own state: MAC, link status and counters. */
import { describe } from '../../vmstate/index.ts';
import type { VirtioNetState } from './state.ts';

export const virtioNetDescription = describe<VirtioNetState>({
  name: 'virtio-net',
  version: 1,
  fields: (f) => [
    f.bytes('mac'),
    f.bool('linkUp'),
    f.u64n('rxPackets'),
    f.u64n('rxBytes'),
    f.u64n('rxDropped'),
    f.u64n('txPackets'),
    f.u64n('txBytes'),
    f.u64n('txDropped'),
  ],
});
