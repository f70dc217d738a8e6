/**
 * The contract between the virtio-mmio transport and a virtio device model (blk, rng, net).
 * The transport owns registers, feature negotiation, status and the rings; the device model
 * owns its config space and what a request means. The transport hands itself to the model
 * through `attach` as a `VirtioHost`.
 */
import type { GuestMemory } from '../../core/bus/guest-memory.ts';
import type { AccessSize } from '../../core/bus/mmio.ts';
import type { DescChain } from './virtqueue.ts';

/** A chain popped from a queue; it remembers which queue and which device incarnation. */
export interface VirtioRequest extends DescChain {
  readonly queue: number;
  /** Transport reset count when popped: a completion after a reset is dropped. */
  readonly epoch: number;
}

/** What a device model may do with its transport. */
export interface VirtioHost {
  /** DMA view of guest memory (writes mark pages dirty). */
  readonly mem: GuestMemory;
  /** True when the driver enabled queue `q`, set DRIVER_OK and the device is not broken. */
  queueUsable(q: number): boolean;
  /** The next available chain of queue `q`; null when there is none, the queue is not usable,
   *  or the chain is malformed (then the transport already set DEVICE_NEEDS_RESET). */
  pop(q: number): VirtioRequest | null;
  /** True while `req` belongs to the current device incarnation and its queue is usable:
   *  a device checks this before DMA-ing a late completion into guest memory. */
  current(req: VirtioRequest): boolean;
  /** Returns `req` through the used ring with `written` bytes written into its writable part,
   *  and raises the used-buffer interrupt unless the driver suppressed it. A request from
   *  before a reset is dropped. */
  push(req: VirtioRequest, written: number): void;
  /** A guest error the device cannot recover from: sets DEVICE_NEEDS_RESET. */
  fail(reason: string): void;
  /** The device changed its config space: bump ConfigGeneration and interrupt. */
  configChanged(): void;
}

export interface VirtioDevice {
  /** Device ID from section 5 of the spec (VirtioDeviceId). */
  readonly deviceId: number;
  readonly queueCount: number;
  /** QueueNumMax for every queue of this device. */
  readonly queueSizeMax: number;
  /** Device-specific feature bits offered (the transport adds VIRTIO_F_VERSION_1). */
  readonly features: bigint;
  attach(host: VirtioHost): void;
  /** A read of `size` bytes at `offset` into the device config space. */
  readConfig(offset: number, size: AccessSize): number;
  writeConfig(offset: number, size: AccessSize, value: number): void;
  /** The driver notified queue `q` (only called when the queue is usable). */
  notify(q: number): void;
  /** The driver reset the device (Status = 0): forget requests in progress. */
  reset(): void;
}

/** Little-endian read of `size` bytes at `offset` from a config image; 0 beyond its end. */
export function readConfigBytes(config: Uint8Array, offset: number, size: AccessSize): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) {
    const b = offset + i < config.length && offset + i >= 0 ? config[offset + i]! : 0;
    v = v * 256 + b;
  }
  return v >>> 0;
}
