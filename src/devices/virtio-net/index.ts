export { VirtioNet } from './virtio-net.ts';
export { NULL_NET_BACKEND, type NetBackend } from './backend.ts';
export { createVirtioNetState, resetVirtioNet, type VirtioNetState } from './state.ts';
export {
  MAC_BYTES,
  NET_MAX_FRAME,
  NET_QUEUE_SIZE,
  NET_RX_QUEUE,
  NET_TX_QUEUE,
  NetConfig,
  NetFeature,
  NetHdr,
  VIRTIO_NET_S_LINK_UP,
} from './regs.ts';
export { virtioNetDescription } from './description.ts';
