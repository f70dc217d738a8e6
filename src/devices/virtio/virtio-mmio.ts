/**
 * The virtio-mmio transport, version 2 (Virtio 1.2, 4.2). One instance per populated slot;
 * it adapts one `VirtioDevice` model to the MMIO bus and to one level-triggered IRQ line
 * (high while InterruptStatus != 0).
 *
 * Guest errors (bad ring addresses, malformed chains) set DEVICE_NEEDS_RESET and raise a
 * configuration-change interrupt (2.1.2); the device then ignores its queues until the
 * driver resets it. Nothing here throws on guest input.
 */
import type { GuestMemory } from '../../core/bus/guest-memory.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import type { AccessSize, MmioDevice } from '../../core/bus/mmio.ts';
import type { VirtioDevice, VirtioHost, VirtioRequest } from './device.ts';
import {
  DeviceStatus,
  featureBit,
  InterruptBit,
  MmioReg,
  SHM_LEN_NONE,
  VIRTIO_MMIO_MAGIC,
  VIRTIO_MMIO_VENDOR_ID,
  VIRTIO_MMIO_VERSION,
  VirtioFeature,
} from './regs.ts';
import { resetVirtioMmio, VIRTIO_MAX_QUEUES, type VirtioMmioState } from './state.ts';
import { availHead, checkRing, interruptSuppressed, isVirtqError, pushUsed, type SplitRing, walkChain } from './virtqueue.ts';

const TWO_32 = 0x1_0000_0000;
const MASK_32 = 0xffff_ffffn;

export class VirtioMmio implements MmioDevice, VirtioHost {
  /** Why the device last entered DEVICE_NEEDS_RESET (diagnostics; not guest state). */
  lastError: string | null = null;
  /** Count of resets, so completions of requests from before a reset can be dropped. */
  private epoch = 0;
  /** Feature bits offered: the model's plus VIRTIO_F_VERSION_1 (mandatory for version 2). */
  readonly deviceFeatures: bigint;

  constructor(
    readonly state: VirtioMmioState,
    readonly device: VirtioDevice,
    private readonly irq: IrqLine,
    readonly mem: GuestMemory,
  ) {
    if (device.queueCount > VIRTIO_MAX_QUEUES) throw new RangeError(`virtio device wants ${device.queueCount} queues`);
    this.deviceFeatures = device.features | featureBit(VirtioFeature.Version1);
    device.attach(this);
  }

  /** Re-derives the IRQ level after `state` was restored from a snapshot. */
  afterLoad(): void {
    this.updateIrq();
  }

  read(offset: number, size: AccessSize): number {
    if (offset >= MmioReg.Config) return this.device.readConfig(offset - MmioReg.Config, size);
    // 4.2.2.2: the driver uses 32-bit aligned accesses for the registers; others read 0.
    if (size !== 4 || offset & 3) return 0;
    const s = this.state;
    switch (offset) {
      case MmioReg.MagicValue:
        return VIRTIO_MMIO_MAGIC;
      case MmioReg.Version:
        return VIRTIO_MMIO_VERSION;
      case MmioReg.DeviceId:
        return this.device.deviceId;
      case MmioReg.VendorId:
        return VIRTIO_MMIO_VENDOR_ID;
      case MmioReg.DeviceFeatures:
        return s.deviceFeaturesSel < 2 ? Number((this.deviceFeatures >> BigInt(32 * s.deviceFeaturesSel)) & MASK_32) : 0;
      case MmioReg.QueueNumMax:
        return this.selectedQueue() >= 0 ? this.device.queueSizeMax : 0;
      case MmioReg.QueueReady: {
        const q = this.selectedQueue();
        return q >= 0 ? s.queueReady[q]! : 0;
      }
      case MmioReg.InterruptStatus:
        return s.interruptStatus;
      case MmioReg.Status:
        return s.status;
      case MmioReg.ShmLenLow:
      case MmioReg.ShmLenHigh:
        return SHM_LEN_NONE; // no shared memory regions
      case MmioReg.ConfigGeneration:
        return s.configGeneration;
      default:
        return 0; // write-only and reserved registers
    }
  }

  write(offset: number, size: AccessSize, value: number): void {
    if (offset >= MmioReg.Config) {
      this.device.writeConfig(offset - MmioReg.Config, size, value);
      return;
    }
    if (size !== 4 || offset & 3) return;
    value >>>= 0;
    const s = this.state;
    const q = this.selectedQueue();
    switch (offset) {
      case MmioReg.DeviceFeaturesSel:
        s.deviceFeaturesSel = value;
        return;
      case MmioReg.DriverFeaturesSel:
        s.driverFeaturesSel = value;
        return;
      case MmioReg.DriverFeatures:
        // Features are fixed once FEATURES_OK is set (3.1.1).
        if (s.driverFeaturesSel < 2 && !(s.status & DeviceStatus.FeaturesOk)) s.driverFeatures[s.driverFeaturesSel] = value;
        return;
      case MmioReg.QueueSel:
        s.queueSel = value;
        return;
      case MmioReg.QueueNum:
        if (q >= 0 && !s.queueReady[q]) s.queueNum[q] = value;
        return;
      case MmioReg.QueueReady:
        if (q >= 0) this.setQueueReady(q, (value & 1) !== 0);
        return;
      case MmioReg.QueueNotify:
        if (value < this.device.queueCount && this.queueUsable(value)) this.device.notify(value);
        return;
      case MmioReg.InterruptAck:
        s.interruptStatus &= ~value;
        this.updateIrq();
        return;
      case MmioReg.Status:
        this.writeStatus(value & 0xff);
        return;
      case MmioReg.ShmSel:
        s.shmSel = value;
        return;
    }
    if (q < 0 || s.queueReady[q]) return; // 4.2.3.2: addresses only change while the queue is off
    switch (offset) {
      case MmioReg.QueueDescLow:
        s.queueDescLow[q] = value;
        return;
      case MmioReg.QueueDescHigh:
        s.queueDescHigh[q] = value;
        return;
      case MmioReg.QueueDriverLow:
        s.queueDriverLow[q] = value;
        return;
      case MmioReg.QueueDriverHigh:
        s.queueDriverHigh[q] = value;
        return;
      case MmioReg.QueueDeviceLow:
        s.queueDeviceLow[q] = value;
        return;
      case MmioReg.QueueDeviceHigh:
        s.queueDeviceHigh[q] = value;
        return;
    }
  }

  // ---- VirtioHost: what the device model uses ----

  queueUsable(q: number): boolean {
    const s = this.state;
    return (
      q >= 0 &&
      q < this.device.queueCount &&
      s.queueReady[q] === 1 &&
      (s.status & (DeviceStatus.DriverOk | DeviceStatus.DeviceNeedsReset)) === DeviceStatus.DriverOk
    );
  }

  pop(q: number): VirtioRequest | null {
    if (!this.queueUsable(q)) return null;
    const ring = this.ring(q);
    const head = availHead(this.mem, ring, this.state.lastAvailIdx[q]!);
    if (head === null) return null;
    if (isVirtqError(head)) return this.failNull(head.error);
    const chain = walkChain(this.mem, ring, head);
    if (isVirtqError(chain)) return this.failNull(chain.error);
    this.state.lastAvailIdx[q] = this.state.lastAvailIdx[q]! + 1;
    return { ...chain, queue: q, epoch: this.epoch };
  }

  current(req: VirtioRequest): boolean {
    return req.epoch === this.epoch && this.queueUsable(req.queue);
  }

  push(req: VirtioRequest, written: number): void {
    if (!this.current(req)) return;
    const q = req.queue;
    const ring = this.ring(q);
    const s = this.state;
    if (!pushUsed(this.mem, ring, s.usedIdx[q]!, req.head, Math.min(written, req.writableBytes))) {
      this.fail('used ring outside RAM');
      return;
    }
    s.usedIdx[q] = s.usedIdx[q]! + 1;
    if (interruptSuppressed(this.mem, ring)) return;
    s.interruptStatus |= InterruptBit.UsedBuffer;
    this.updateIrq();
  }

  fail(reason: string): void {
    const s = this.state;
    this.lastError = reason;
    if (s.status & DeviceStatus.DeviceNeedsReset) return;
    s.status |= DeviceStatus.DeviceNeedsReset;
    // 2.1.2: with DRIVER_OK set, the device must send a configuration change notification.
    if (s.status & DeviceStatus.DriverOk) {
      s.interruptStatus |= InterruptBit.ConfigChange;
      this.updateIrq();
    }
  }

  configChanged(): void {
    const s = this.state;
    s.configGeneration = (s.configGeneration + 1) >>> 0;
    if (s.status & DeviceStatus.DriverOk) {
      s.interruptStatus |= InterruptBit.ConfigChange;
      this.updateIrq();
    }
  }

  // ---- internals ----

  /** The selected queue index, or -1 when QueueSel names a queue the device does not have. */
  private selectedQueue(): number {
    const q = this.state.queueSel;
    return q < this.device.queueCount ? q : -1;
  }

  private ring(q: number): SplitRing {
    const s = this.state;
    return {
      size: s.queueNum[q]!,
      desc: s.queueDescHigh[q]! * TWO_32 + s.queueDescLow[q]!,
      avail: s.queueDriverHigh[q]! * TWO_32 + s.queueDriverLow[q]!,
      used: s.queueDeviceHigh[q]! * TWO_32 + s.queueDeviceLow[q]!,
    };
  }

  private setQueueReady(q: number, ready: boolean): void {
    const s = this.state;
    if (!ready) {
      s.queueReady[q] = 0;
      return;
    }
    if (s.queueReady[q]) return;
    const err = checkRing(this.mem, this.ring(q), this.device.queueSizeMax);
    if (err) {
      this.fail(err.error);
      return;
    }
    s.queueReady[q] = 1;
  }

  private writeStatus(value: number): void {
    const s = this.state;
    if (value === 0) {
      this.reset();
      return;
    }
    const old = s.status;
    // DEVICE_NEEDS_RESET belongs to the device: the driver cannot clear it except by reset.
    let next = (value & ~DeviceStatus.DeviceNeedsReset) | (old & DeviceStatus.DeviceNeedsReset);
    if (next & DeviceStatus.FeaturesOk && !(old & DeviceStatus.FeaturesOk) && !this.featuresAcceptable()) {
      next &= ~DeviceStatus.FeaturesOk; // 3.1.1 step 6: the driver re-reads and sees it refused
    }
    s.status = next;
    if (next & DeviceStatus.DriverOk && !(old & DeviceStatus.DriverOk)) {
      // Buffers made available before DRIVER_OK are processed now (3.1.1 step 8).
      for (let q = 0; q < this.device.queueCount; q++) if (this.queueUsable(q)) this.device.notify(q);
    }
  }

  /** The driver accepted only offered features, and VERSION_1 (required on version 2). */
  private featuresAcceptable(): boolean {
    const f = this.driverFeatures();
    return (f & ~this.deviceFeatures) === 0n && (f & featureBit(VirtioFeature.Version1)) !== 0n;
  }

  driverFeatures(): bigint {
    const w = this.state.driverFeatures;
    return (BigInt(w[1]!) << 32n) | BigInt(w[0]!);
  }

  /** Device reset, as a driver's write of 0 to Status does (also used by a machine reset). */
  reset(): void {
    this.epoch++;
    resetVirtioMmio(this.state);
    this.lastError = null;
    this.device.reset();
    this.updateIrq();
  }

  private failNull(reason: string): null {
    this.fail(reason);
    return null;
  }

  private updateIrq(): void {
    this.irq.set(this.state.interruptStatus !== 0);
  }
}
