/** Names from Virtio 1.2, 5.1 "Network Device". */

/** Feature bits (5.1.3). Bit numbers. */
export const enum NetFeature {
  Csum = 0,
  GuestCsum = 1,
  Mtu = 3,
  Mac = 5,
  MrgRxbuf = 15,
  Status = 16,
  CtrlVq = 17,
  Mq = 22,
}

/** struct virtio_net_config offsets (5.1.4). */
export const NetConfig = {
  Mac: 0,
  Status: 6,
  MaxVirtqueuePairs: 8,
  Mtu: 10,
  /** Bytes of the config image exposed (mac and status; the rest reads 0). */
  Size: 12,
} as const;

/** `status` config bits (5.1.4). */
export const VIRTIO_NET_S_LINK_UP = 1;

/**
 * struct virtio_net_hdr with VIRTIO_F_VERSION_1 (5.1.6): 12 bytes, `num_buffers` always
 * present. Without offloads the device only fills num_buffers = 1 on receive.
 */
export const NetHdr = {
  Flags: 0,
  GsoType: 1,
  HdrLen: 2,
  GsoSize: 4,
  CsumStart: 6,
  CsumOffset: 8,
  NumBuffers: 10,
  Size: 12,
} as const;

/** Queue numbers (5.1.2): receiveq1 and transmitq1; no control queue. */
export const NET_RX_QUEUE = 0;
export const NET_TX_QUEUE = 1;
export const NET_QUEUE_SIZE = 256;
export const MAC_BYTES = 6;
/** Largest frame accepted in either direction (no GSO is offered, so real frames are ≤ 1514). */
export const NET_MAX_FRAME = 0xffff;
