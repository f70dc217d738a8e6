/**
 * An unpopulated virtio-mmio slot: it answers the identification registers with DeviceID 0,
 * which Linux's virtio_mmio probe treats as "no device" (-ENODEV), and ignores everything
 * else (4.2.3.1.1: a device ID of 0 means the driver must not use the device). Stateless.
 */
import type { AccessSize, MmioDevice } from '../../core/bus/mmio.ts';
import { MmioReg, VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_VENDOR_ID, VIRTIO_MMIO_VERSION, VirtioDeviceId } from './regs.ts';

export class EmptyVirtioSlot implements MmioDevice {
  read(offset: number, size: AccessSize): number {
    if (size !== 4) return 0;
    switch (offset) {
      case MmioReg.MagicValue:
        return VIRTIO_MMIO_MAGIC;
      case MmioReg.Version:
        return VIRTIO_MMIO_VERSION;
      case MmioReg.DeviceId:
        return VirtioDeviceId.None;
      case MmioReg.VendorId:
        return VIRTIO_MMIO_VENDOR_ID;
      default:
        return 0;
    }
  }

  write(_offset: number, _size: AccessSize, _value: number): void {}
}
