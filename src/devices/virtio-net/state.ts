import { MAC_BYTES } from './regs.ts';

/** State of virtio-net beyond the transport: the MAC, the link, and counters for the UI. */
export interface VirtioNetState {
  mac: Uint8Array;
  linkUp: boolean;
  rxPackets: number;
  rxBytes: number;
  /** Frames not delivered: oversized for the guest's buffer, or the link was down. */
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txDropped: number;
}

/** `mac` is the address the guest sees (e.g. 52:54:00:12:34:56, QEMU's default). */
export function createVirtioNetState(mac: ArrayLike<number>): VirtioNetState {
  if (mac.length !== MAC_BYTES) throw new RangeError(`a MAC address has ${MAC_BYTES} bytes`);
  const s: VirtioNetState = {
    mac: Uint8Array.from(mac),
    linkUp: true,
    rxPackets: 0,
    rxBytes: 0,
    rxDropped: 0,
    txPackets: 0,
    txBytes: 0,
    txDropped: 0,
  };
  resetVirtioNet(s);
  return s;
}

/** Machine reset: the MAC stays, the link comes up, counters restart. */
export function resetVirtioNet(s: VirtioNetState): void {
  s.linkUp = true;
  s.rxPackets = 0;
  s.rxBytes = 0;
  s.rxDropped = 0;
  s.txPackets = 0;
  s.txBytes = 0;
  s.txDropped = 0;
}
