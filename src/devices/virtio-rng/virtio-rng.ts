/**
 * virtio-rng, the entropy device (Virtio 1.2, 5.4): one request queue; every chain's
 * device-writable part is filled with random bytes (at most `RNG_MAX_FILL` per chain) and
 * returned with the count written. No device features, no config space.
 */
import type { AccessSize } from '../../core/bus/mmio.ts';
import type { VirtioDevice, VirtioHost } from '../virtio/device.ts';
import { VirtioDeviceId } from '../virtio/regs.ts';
import { scatter } from '../virtio/virtqueue.ts';
import type { EntropySource } from './entropy.ts';
import type { VirtioRngState } from './state.ts';

/** The requestq (5.4.2). */
export const RNG_REQUEST_QUEUE = 0;
export const RNG_QUEUE_SIZE = 64;
/** Bytes given per request at most; the driver asks again for more (5.4.6.1 allows short). */
export const RNG_MAX_FILL = 0x1_0000;

export class VirtioRng implements VirtioDevice {
  readonly deviceId = VirtioDeviceId.Entropy;
  readonly queueCount = 1;
  readonly queueSizeMax = RNG_QUEUE_SIZE;
  readonly features = 0n;
  private host!: VirtioHost;

  constructor(
    readonly state: VirtioRngState,
    private readonly entropy: EntropySource,
  ) {}

  attach(host: VirtioHost): void {
    this.host = host;
  }

  readConfig(_offset: number, _size: AccessSize): number {
    return 0;
  }

  writeConfig(): void {}

  reset(): void {}

  notify(q: number): void {
    if (q !== RNG_REQUEST_QUEUE) return;
    for (let req = this.host.pop(q); req; req = this.host.pop(q)) {
      const bytes = new Uint8Array(Math.min(req.writableBytes, RNG_MAX_FILL));
      this.entropy.fill(bytes);
      const n = scatter(this.host.mem, req.writable, 0, bytes);
      this.state.bytesDelivered += n;
      this.host.push(req, n);
    }
  }
}
