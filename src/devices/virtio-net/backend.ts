/** Host side of virtio-net: where transmitted Ethernet frames go (without virtio_net_hdr). */
export interface NetBackend {
  send(frame: Uint8Array): void;
  /** Optional: the driver added receive buffers, so a host holding frames may retry. */
  rxReady?(): void;
}

/** A cable to nowhere: frames sent are dropped. */
export const NULL_NET_BACKEND: NetBackend = { send() {} };
