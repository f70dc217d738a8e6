/**
 * virtio-net (Virtio 1.2, 5.1) with one receive and one transmit queue, a MAC address and
 * link status in config space, and no offloads: every buffer starts with the 12-byte
 * virtio_net_hdr (VERSION_1 layout) followed by one Ethernet frame.
 */
import type { AccessSize } from '../../core/bus/mmio.ts';
import { readConfigBytes, type VirtioDevice, type VirtioHost } from '../virtio/device.ts';
import { featureBit, VirtioDeviceId } from '../virtio/regs.ts';
import { gather, scatter } from '../virtio/virtqueue.ts';
import type { NetBackend } from './backend.ts';
import {
  NET_MAX_FRAME,
  NET_QUEUE_SIZE,
  NET_RX_QUEUE,
  NET_TX_QUEUE,
  NetConfig,
  NetFeature,
  NetHdr,
  VIRTIO_NET_S_LINK_UP,
} from './regs.ts';
import type { VirtioNetState } from './state.ts';

export class VirtioNet implements VirtioDevice {
  readonly deviceId = VirtioDeviceId.Net;
  readonly queueCount = 2;
  readonly queueSizeMax = NET_QUEUE_SIZE;
  readonly features = featureBit(NetFeature.Mac) | featureBit(NetFeature.Status);
  private host!: VirtioHost;

  constructor(
    readonly state: VirtioNetState,
    private readonly backend: NetBackend,
  ) {}

  attach(host: VirtioHost): void {
    this.host = host;
  }

  readConfig(offset: number, size: AccessSize): number {
    const config = new Uint8Array(NetConfig.Size);
    config.set(this.state.mac, NetConfig.Mac);
    config[NetConfig.Status] = this.state.linkUp ? VIRTIO_NET_S_LINK_UP : 0;
    return readConfigBytes(config, offset, size);
  }

  writeConfig(): void {} // the MAC is read-only without the control queue

  reset(): void {}

  /** Plugs or unplugs the cable; the driver learns it through a config-change interrupt. */
  setLinkUp(up: boolean): void {
    if (this.state.linkUp === up) return;
    this.state.linkUp = up;
    this.host.configChanged();
  }

  notify(q: number): void {
    if (q === NET_TX_QUEUE) this.transmit();
    else if (q === NET_RX_QUEUE) this.backend.rxReady?.();
  }

  /**
   * Delivers one Ethernet frame to the guest. Returns false when it could not be placed now
   * (the driver has not enabled the receive queue or has no buffer posted): the caller may
   * hold it and retry after `rxReady`. Returns true when the frame was consumed, which
   * includes dropping it (link down, or larger than the guest's buffer or NET_MAX_FRAME).
   */
  receive(frame: Uint8Array): boolean {
    const s = this.state;
    if (!s.linkUp || frame.length > NET_MAX_FRAME) {
      s.rxDropped++;
      return true;
    }
    const req = this.host.pop(NET_RX_QUEUE);
    if (!req) return false;
    if (req.writableBytes < NetHdr.Size + frame.length) {
      // Returned as a zero-length buffer: Linux counts a length error and reposts it.
      s.rxDropped++;
      this.host.push(req, 0);
      return true;
    }
    const hdr = new Uint8Array(NetHdr.Size);
    hdr[NetHdr.NumBuffers] = 1;
    scatter(this.host.mem, req.writable, 0, hdr);
    scatter(this.host.mem, req.writable, NetHdr.Size, frame);
    s.rxPackets++;
    s.rxBytes += frame.length;
    this.host.push(req, NetHdr.Size + frame.length);
    return true;
  }

  private transmit(): void {
    const s = this.state;
    for (let req = this.host.pop(NET_TX_QUEUE); req; req = this.host.pop(NET_TX_QUEUE)) {
      if (req.readableBytes < NetHdr.Size) {
        this.host.fail('virtio-net transmit buffer shorter than virtio_net_hdr');
        return;
      }
      const len = req.readableBytes - NetHdr.Size;
      if (len > NET_MAX_FRAME || !s.linkUp) {
        s.txDropped++;
      } else {
        const frame = new Uint8Array(len);
        gather(this.host.mem, req.readable, NetHdr.Size, frame);
        this.backend.send(frame);
        s.txPackets++;
        s.txBytes += len;
      }
      this.host.push(req, 0);
    }
  }
}
